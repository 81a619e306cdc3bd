// What the auto kernel's cost model sees of one attention call: the counts each kernel's work is proportional to,
// read from the shapes and the layout in O(nnz) (the block counts come from the layout's cache).
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// The size of one call: <see cref="Rows"/> = B·H·N query rows, and the multiply-adds of each kernel's QKᵀ:
/// dense B·H·N²·D (Sdpa), tiles B·H·T·b²·D (BlockSparse, T non-empty b×b tiles per map) and sparse B·H·nnz·D (Csr).
/// </summary>
public sealed record AttentionCostFeatures(double Rows, double DenseWork, double TileWork, double SparseWork)
{
    /// <summary>Counts the features of attending q [B, H, N, D] over <paramref name="layout"/> with tiles of side <paramref name="blockSize"/>; without <paramref name="countTiles"/> no block layout is built and TileWork is 0.</summary>
    public static AttentionCostFeatures Of(Tensor q, AttentionLayout layout, int blockSize, bool countTiles = true)
    {
        ArgumentNullException.ThrowIfNull(q);
        return Of(q.shape[1], q.shape[3], layout, blockSize, countTiles);
    }

    /// <summary>Counts the features of attending with <paramref name="heads"/> heads of dimension <paramref name="dim"/> over <paramref name="layout"/>.</summary>
    public static AttentionCostFeatures Of(long heads, long dim, AttentionLayout layout, int blockSize, bool countTiles = true)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        double batch = layout.Batch, n = layout.PaddedLength, d = dim;
        // Heads that share their example's layout each do that layout's work.
        double perMap = (double)heads / layout.Heads;
        double nnz = layout.Nnz * perMap;
        double tiles = 0;
        if (countTiles)
        {
            for (int example = 0; example < layout.Batch; example++)
            {
                for (int head = 0; head < layout.Heads; head++)
                    tiles += layout.Blocks(example, head, blockSize).Count;
            }
            tiles *= perMap;
        }
        return new AttentionCostFeatures(batch * heads * n, batch * heads * n * n * d, tiles * blockSize * blockSize * d, nnz * d);
    }

    /// <summary>The work that <paramref name="kind"/>'s time grows with.</summary>
    public double WorkOf(AttentionKernelKind kind) => kind switch
    {
        AttentionKernelKind.Sdpa or AttentionKernelKind.Reference => DenseWork,
        AttentionKernelKind.BlockSparse => TileWork,
        AttentionKernelKind.Csr => SparseWork,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "the cost model covers the exact kernels only, not Auto."),
    };
}
