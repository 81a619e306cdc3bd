// Options of the Banded kernel: the block side its windows are cut in and the scores per chunk (BlockKernelOptions,
// shared with BlockSparse), and when a layout's off-band remainder is too large for the small dense part (the layout
// then runs on BlockSparse).
namespace Sieve.Kernels;

/// <summary>Immutable options of <see cref="BandedKernel"/>.</summary>
/// <remarks>
/// <see cref="BlockKernelOptions.BlockSize"/> is the query block side: each block of b queries scores one contiguous
/// window of whole key blocks, so a band of width W costs about (W + b)/W of its entries; smaller blocks waste less but
/// make smaller matmuls. The default is 16, not the 32 of BlockSparse: a window is a view, not a gathered copy, so
/// smaller blocks cost no copies. On narrow bands 16 wins clearly (`local(2)+global(2)`: forward 1.4–1.7× faster than
/// 32 from N = 512 to 4,096); on wide ones the two tie within the run's noise (`local(64)+global(2)`,
/// `longformer(128,1,2)`; docs/results/bench-attention/banded-blocks-16-32-2026-12-04.txt). <see cref="BlockKernelOptions.ChunkEntries"/>:
/// a head's query blocks run in chunks of about this many window scores, so the forward's peak is the output plus one
/// chunk, whatever the length.
/// </remarks>
public sealed record BandedOptions : BlockKernelOptions
{
    /// <summary>The default block size of the Banded kernel.</summary>
    public const int DefaultBlockSize = 16;

    /// <summary>Options with the defaults: block size <see cref="DefaultBlockSize"/>, BlockKernelOptions' chunk, share 1/8.</summary>
    public BandedOptions() => BlockSize = DefaultBlockSize;

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

    /// <summary>
    /// Whether the forward and the backward run each query block's band as one fused C# SIMD pass
    /// (<see cref="BandedFusedBand"/>, <see cref="BandedFusedBackward"/>: float32 on a CPU with AVX2 and FMA, D a multiple
    /// of 16, blocks a multiple of 8); otherwise, and for every other dtype, device or CPU, the band runs as torch products
    /// on strided windows. Default true; false is for comparing the two.
    /// </summary>
    public bool FusedBand { get; init; } = true;

    /// <summary>
    /// Whether the fused band may run its products in 512-bit vectors (<see cref="BandedWideTiles"/>: a CPU with AVX-512F
    /// that runs them natively, blocks a multiple of 16, D a multiple of 32); otherwise in 256-bit ones. Default true;
    /// false is for comparing the two, and for running the 256-bit tiles on a machine that has both.
    /// </summary>
    public bool WideTiles { get; init; } = true;
}
