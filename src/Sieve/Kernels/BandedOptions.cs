// Options of the Banded kernel: the block side its windows are cut in, the scores per chunk, and when a layout's
// off-band remainder is too large for the small dense part (the layout then runs on BlockSparse).
namespace Sieve.Kernels;

/// <summary>Immutable options of <see cref="BandedKernel"/>.</summary>
public sealed record BandedOptions
{
    /// <summary>
    /// The query block side b (default 32): each block of b queries scores one contiguous window of whole key blocks, so
    /// a band of width W costs about (W + b)/W of its entries; smaller blocks waste less but make smaller matmuls.
    /// </summary>
    public int BlockSize
    {
        get;
        init
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(BlockSize), value, $"the block size must be at least 1, got {value}; 32 or 64 are good choices.");
            field = value;
        }
    } = 32;

    /// <summary>
    /// Window scores computed at once (default 2¹⁸ = 1 MiB of float32): a head's query blocks run in chunks of about
    /// this many entries, so the forward's peak is the output plus one chunk, whatever the length.
    /// </summary>
    public int ChunkEntries
    {
        get;
        init
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(ChunkEntries), value, $"the chunk must hold at least 1 score, got {value}; the default 262144 (2¹⁸) suits most machines.");
            field = value;
        }
    } = 1 << 18;

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
