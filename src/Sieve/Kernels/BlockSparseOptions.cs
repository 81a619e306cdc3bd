// Options of the BlockSparse kernel: the tile side b of the block layout it computes on and the scores per chunk.
namespace Sieve.Kernels;

/// <summary>Immutable options of <see cref="BlockSparseKernel"/>.</summary>
public sealed record BlockSparseOptions
{
    /// <summary>
    /// The tile side b (default 32). Larger tiles make larger matmuls but compute more disallowed entries on thin
    /// patterns; on local(64)+global(2), N = 4096, 12 heads, D = 64 (2 cores), b = 32 measured 1.3-1.6× faster than
    /// b = 64 forward and forward+backward (bench/Sieve.Bench `kernels`).
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
    /// Scores computed at once (default 2¹⁸ = 1 MiB of float32): a tile group runs in chunks of query blocks of about
    /// this many entries, forward and backward, so peak memory is the inputs plus one chunk (its scores and the gathered
    /// key and value tiles, D/b times the scores each), whatever the length. At least one query block is always taken;
    /// smaller chunks mean more, smaller matmuls. On local(64)+global(2), N = 4096, 12 heads, D = 64 (2 cores) 2¹⁸ was
    /// the fastest of 2¹⁷…2²¹ (forward 70.6 ms against 73.3 ms at 2²¹) and cut the forward's peak extra memory from 41.9
    /// to 23.6 MiB. Re-measured after the in-place softmax (2026-11-23, docs/BENCHMARKS.md): 2¹⁷ lowers the first
    /// forward's peak from about 24 to 19-20 MiB, but its forward ran 6.4× Sdpa's speed against 7.6× at 2¹⁸, so 2¹⁸
    /// stays the default.
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
}
