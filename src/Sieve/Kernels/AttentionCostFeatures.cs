// What the auto kernel's cost model sees of one attention call: the counts each kernel's work is proportional to,
// read from the shapes and the layout in O(nnz) (the block counts come from the layout's cache).
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// The size of one call: <see cref="Rows"/> = B·H·N query rows, and the multiply-adds of each kernel's QKᵀ:
/// dense B·H·N²·D (Sdpa), tiles B·H·T·b²·D (BlockSparse, T non-empty b×b tiles per map), sparse B·H·nnz·D (Csr) and
/// banded B·H·(N·(L + g) + r·N)·D (Banded: windows of L keys, g global columns, r global rows; see BandedSplit).
/// </summary>
public sealed record AttentionCostFeatures(double Rows, double DenseWork, double TileWork, double SparseWork)
{
    /// <summary>The Banded kernel's multiply-adds; null when the layout does not split into a band (Banded is then no candidate) or was not counted.</summary>
    public double? BandWork { get; init; }

    /// <summary>
    /// The part of <see cref="TileWork"/> that BlockSparse has to mask: the tiles of its groups (query blocks with the
    /// same tile count) where some query row does not allow every key of its tiles. Window edges make every tile row of
    /// a local pattern masked; BigBird's aligned blocks need no mask (the fit of 2026-12-05 prices a masked tile's
    /// forward at 2.7 times an unmasked one's).
    /// </summary>
    public double MaskedTileWork { get; init; }

    /// <summary>
    /// Counts the features of attending q [B, H, N, D] over <paramref name="layout"/> with tiles of side <paramref name="blockSize"/>;
    /// without <paramref name="countTiles"/> no block layout is built and TileWork is 0; with <paramref name="banded"/> the
    /// layout's split for those Banded options is counted into BandWork.
    /// </summary>
    public static AttentionCostFeatures Of(Tensor q, AttentionLayout layout, int blockSize, bool countTiles = true, BandedOptions? banded = null)
    {
        ArgumentNullException.ThrowIfNull(q);
        return Of(q.shape[1], q.shape[3], layout, blockSize, countTiles, banded);
    }

    /// <summary>Counts the features of attending with <paramref name="heads"/> heads of dimension <paramref name="dim"/> over <paramref name="layout"/>.</summary>
    public static AttentionCostFeatures Of(long heads, long dim, AttentionLayout layout, int blockSize, bool countTiles = true, BandedOptions? banded = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        double batch = layout.Batch, n = layout.PaddedLength, d = dim;
        // Heads that share their example's layout each do that layout's work.
        double perMap = (double)heads / layout.Heads;
        double nnz = layout.Nnz * perMap;
        double tiles = 0, maskedTiles = 0;
        if (countTiles)
        {
            (tiles, maskedTiles) = CountTiles(layout, blockSize);
            tiles *= perMap;
            maskedTiles *= perMap;
        }
        double? bandWork = null;
        if (banded is not null)
        {
            var split = BandedSplit.For(layout, banded.BlockSize, banded.MaxGlobalShare);
            if (split.Applicable) bandWork = split.WorkPerHead(layout.PaddedLength, dim) * perMap;
        }
        double tileWork = blockSize * blockSize * d;
        return new AttentionCostFeatures(batch * heads * n, batch * heads * n * n * d, tiles * tileWork, nnz * d) { BandWork = bandWork, MaskedTileWork = maskedTiles * tileWork };
    }

    // The non-empty tiles of every distinct map, and those in masked groups, grouped as BlockSparsePlan groups them: by
    // tile count per query block over all maps, a group masked when one of its rows is. A row is masked when one of its
    // tiles is not full or reaches past the real length (padded rows and keys are masked out too).
    private static (double Tiles, double Masked) CountTiles(AttentionLayout layout, int blockSize)
    {
        var groups = new Dictionary<int, (double Tiles, bool Masked)>();
        for (int example = 0; example < layout.Batch; example++)
        {
            for (int head = 0; head < layout.Heads; head++)
            {
                var blocks = layout.Blocks(example, head, blockSize);
                int length = blocks.Csr.Length;
                for (int qb = 0; qb < blocks.BlockCount; qb++)
                {
                    int start = blocks.BlockRowOffsets[qb], count = blocks.BlockRowOffsets[qb + 1] - start;
                    bool masked = (qb + 1) * blockSize > length;
                    for (int t = start; t < start + count && !masked; t++)
                        masked = !blocks.Full[t] || (blocks.KeyBlocks[t] + 1) * blockSize > length;
                    var group = groups.GetValueOrDefault(count);
                    groups[count] = (group.Tiles + count, group.Masked || masked);
                }
            }
        }
        return (groups.Values.Sum(g => g.Tiles), groups.Values.Where(g => g.Masked).Sum(g => g.Tiles));
    }

    /// <summary>The part of <paramref name="kind"/>'s work that also pays for a mask: <see cref="MaskedTileWork"/> for BlockSparse, else 0.</summary>
    public double MaskedWorkOf(AttentionKernelKind kind) => kind == AttentionKernelKind.BlockSparse ? MaskedTileWork : 0;

    /// <summary>The work that <paramref name="kind"/>'s time grows with.</summary>
    public double WorkOf(AttentionKernelKind kind) => kind switch
    {
        AttentionKernelKind.Sdpa or AttentionKernelKind.Reference => DenseWork,
        AttentionKernelKind.BlockSparse => TileWork,
        AttentionKernelKind.Csr => SparseWork,
        AttentionKernelKind.Banded => BandWork ?? throw new InvalidOperationException("the layout does not split into a band (or was not counted with BandedOptions); Banded has no work to cost."),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "the cost model covers the exact kernels only, not Auto."),
    };
}
