// The options the two block kernels (Banded, BlockSparse) share: the block side their work is cut in and how many
// scores one chunk computes at once, with the same defaults and the same checks.
namespace Sieve.Kernels;

/// <summary>Immutable options shared by <see cref="BandedOptions"/> and <see cref="BlockSparseOptions"/>.</summary>
public abstract record BlockKernelOptions
{
    /// <summary>
    /// The block side b (default 32): Banded's query blocks each score one contiguous window of whole key blocks (a band
    /// of width W costs about (W + b)/W of its entries); BlockSparse computes on tiles of b × b. Larger blocks make larger
    /// matmuls but compute more entries that the pattern does not allow.
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
    /// Scores computed at once (default 2¹⁸ = 1 MiB of float32): the kernel runs its query blocks in chunks of about this
    /// many entries, forward and backward, so peak memory is the inputs and output plus one chunk, whatever the length.
    /// At least one query block is always taken; smaller chunks mean more, smaller matmuls.
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
