// Options of the Banded kernel: the block side its windows are cut in and the scores per chunk (BlockKernelOptions,
// shared with BlockSparse), and when a layout's off-band remainder is too large for the small dense part (the layout
// then runs on BlockSparse).
namespace Sieve.Kernels;

/// <summary>Immutable options of <see cref="BandedKernel"/>.</summary>
/// <remarks>
/// <see cref="BlockKernelOptions.BlockSize"/> is the query block side: each block of b queries scores one contiguous
/// window of whole key blocks, so a band of width W costs about (W + b)/W of its entries; smaller blocks waste less but
/// make smaller matmuls. <see cref="BlockKernelOptions.ChunkEntries"/>: a head's query blocks run in chunks of about
/// this many window scores, so the forward's peak is the output plus one chunk, whatever the length.
/// </remarks>
public sealed record BandedOptions : BlockKernelOptions
{
    /// <summary>
    /// The largest share of the padded length (default 1/8) that the global rows, and separately the global columns, may
    /// each take: beyond it the dense part would cost more than the band saves, and the layout runs on BlockSparse.
    /// </summary>
    public double MaxGlobalShare
    {
        get;
        init
        {
            if (!(value > 0 && value <= 1))
                throw new ArgumentOutOfRangeException(nameof(MaxGlobalShare), value, $"the global share must be in (0, 1], got {value}.");
            field = value;
        }
    } = 0.125;
}
