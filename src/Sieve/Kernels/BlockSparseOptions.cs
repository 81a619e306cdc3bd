// Options of the BlockSparse kernel: the tile side b of the block layout it computes on.
namespace Sieve.Kernels;

/// <summary>Immutable options of <see cref="BlockSparseKernel"/>.</summary>
public sealed record BlockSparseOptions
{
    /// <summary>
    /// The tile side b (default 64). Larger tiles make larger, faster matmuls but compute more disallowed entries on
    /// thin patterns; 64 matches a local(64) window to three tiles per row.
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
    } = 64;
}
