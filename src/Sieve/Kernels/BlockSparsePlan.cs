// Everything the BlockSparse kernel needs that depends only on the layout, the tile side and the dtype/device: the
// grouping of query blocks by tile count, the gather indices and the additive in-tile masks, built once per layout.
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// The tiles of every distinct map of an <see cref="AttentionLayout"/> as groups of query blocks with the same number
/// of key tiles T. Tiles are numbered over S copies of the M = Batch × layout.Heads distinct maps (S = the heads that
/// share a map, 1 for per-head layouts): copy s of map m's block r is (s·M + m)·nb + r, so every gather and its
/// backward (index_add) works on dim 0 of a contiguous [S·M·nb, b, D] tensor, where each index moves one b×D tile.
/// The layout is built once per batch and reused by every layer, so plans are cached on it (weakly, so they go with it).
/// </summary>
internal sealed class BlockSparsePlan
{
    private static readonly ConditionalWeakTable<AttentionLayout, Dictionary<(int BlockSize, int Copies, ScalarType Type, string Device), BlockSparsePlan>> _cache = [];

    private BlockSparsePlan(int blockSize, int blocks, long tilesPerCopy, IReadOnlyList<BlockSparseGroup> groups)
    {
        BlockSize = blockSize;
        Blocks = blocks;
        TilesPerCopy = tilesPerCopy;
        Groups = groups;
    }

    /// <summary>b, the tile side.</summary>
    public int BlockSize { get; }

    /// <summary>M·nb, the tiles of one head copy.</summary>
    public long TilesPerCopy { get; }

    /// <summary>nb, the blocks per side over the padded length.</summary>
    public int Blocks { get; }

    /// <summary>The groups, by increasing tile count; their rows together are every (map, query block) once.</summary>
    public IReadOnlyList<BlockSparseGroup> Groups { get; }

    /// <summary>The cached plan of <paramref name="layout"/> for tiles of side <paramref name="blockSize"/>.</summary>
    public static BlockSparsePlan For(AttentionLayout layout, int blockSize, int copies, ScalarType type, Device device)
    {
        var plans = _cache.GetValue(layout, _ => []);
        var key = (blockSize, copies, type, device.ToString());
        lock (plans)
        {
            if (!plans.TryGetValue(key, out var plan))
                plans[key] = plan = Build(layout, blockSize, copies, type, device);
            return plan;
        }
    }

    private static BlockSparsePlan Build(AttentionLayout layout, int b, int copies, ScalarType type, Device device)
    {
        int maps = layout.Batch * layout.Heads;
        int blocks = (layout.PaddedLength + b - 1) / b;
        var byCount = new SortedDictionary<int, List<(int Map, int Qb)>>();
        for (int map = 0; map < maps; map++)
        {
            var tiles = layout.Blocks(map / layout.Heads, map % layout.Heads, b);
            for (int qb = 0; qb < blocks; qb++)
            {
                int count = tiles.Row(qb).Length;
                if (!byCount.TryGetValue(count, out var rows)) byCount[count] = rows = [];
                rows.Add((map, qb));
            }
        }
        var groups = new List<BlockSparseGroup>();
        long tilesPerCopy = (long)maps * blocks;
        var slot = new int[blocks];
        foreach (var (count, rows) in byCount)
        {
            groups.Add(BuildGroup(layout, b, blocks, copies, count, rows, slot, type, device));
        }
        return new BlockSparsePlan(b, blocks, tilesPerCopy, groups);
    }

    private static BlockSparseGroup BuildGroup(AttentionLayout layout, int b, int blocks, int copies, int count, List<(int Map, int Qb)> rows, int[] slot, ScalarType type, Device device)
    {
        long tilesPerCopy = (long)layout.Batch * layout.Heads * blocks;
        var queryTiles = new long[copies * rows.Count];
        for (int c = 0; c < copies; c++)
        {
            for (int r = 0; r < rows.Count; r++) queryTiles[(c * rows.Count) + r] = (c * tilesPerCopy) + ((long)rows[r].Map * blocks) + rows[r].Qb;
        }
        if (count == 0) return new BlockSparseGroup(rows.Count, 0, Keep(torch.tensor(queryTiles, device: device)), null, null, null);
        var keyTiles = new long[copies * rows.Count * count];
        // disallowed[r, i, t·b + j]: key j of tile t is forbidden for row i of query block r. It is filled one query
        // block at a time through a reused buffer: a whole-group array and its tensor copy would add twice the mask to
        // the first forward's peak memory (the plan is built inside it).
        var disallowed = torch.ones(rows.Count, b, count * b, dtype: ScalarType.Bool, device: CPU);  // [R, b, T·b]
        var blockMask = new bool[b * count * b];
        var hasKey = new bool[rows.Count * b];
        bool partial = false, emptyRow = false;
        using (var writer = disallowed.data<bool>())
        {
            for (int r = 0; r < rows.Count; r++)
            {
                var (map, qb) = rows[r];
                var tiles = layout.Blocks(map / layout.Heads, map % layout.Heads, b);
                var row = tiles.Row(qb);
                for (int t = 0; t < count; t++)
                {
                    for (int c = 0; c < copies; c++)
                        keyTiles[(((c * rows.Count) + r) * count) + t] = (c * tilesPerCopy) + ((long)map * blocks) + row[t];
                    slot[row[t]] = t;
                }
                Array.Fill(blockMask, true);
                var csr = tiles.Csr;
                for (int i = 0; i < b; i++)
                {
                    int query = (qb * b) + i;
                    var line = blockMask.AsSpan(i * count * b, count * b);
                    var keys = query < csr.PaddedLength ? csr.Row(query) : [];
                    foreach (int key in keys) line[(slot[key / b] * b) + (key % b)] = false;
                    hasKey[(r * b) + i] = keys.Length > 0;
                    partial |= keys.Length != count * b;
                    emptyRow |= keys.Length == 0;
                }
                writer.CopyFrom(blockMask, 0, (long)r * blockMask.Length);
            }
        }
        // A group whose rows allow every key of their tiles needs no mask (part of the peak memory). Partial groups get
        // the mask as an additive bias, 0 where allowed and the lowest finite value where not: a score plus the lowest
        // value rounds to the lowest value (scores are far below its spacing), exactly the reference's fill, and adding a
        // float tensor measured about 30× faster than masked_fill_ with the bool mask on the same [C, b, T·b] scores.
        Tensor? mask = null;
        using (disallowed)
        {
            if (partial)
            {
                double lowest = type == ScalarType.Float64 ? double.MinValue : type == ScalarType.Float32 ? float.MinValue : -65504.0;
                mask = Keep(torch.zeros(disallowed.shape, type, device).MaskedFillInPlace(disallowed.to(device), lowest));   // [R, b, T·b]
            }
        }
        Tensor? rowHasKey = emptyRow ? Keep(torch.tensor(hasKey, device: device).view(rows.Count, b, 1).to(type)) : null;  // [R, b, 1]
        return new BlockSparseGroup(rows.Count, count, Keep(torch.tensor(queryTiles, device: device)), Keep(torch.tensor(keyTiles, device: device)), mask, rowHasKey);
    }

    // Plan tensors outlive the call that built them: no dispose scope may take them, the GC frees them with the layout.
    private static Tensor Keep(Tensor tensor) => tensor.DetachFromDisposeScope();
}

/// <summary>
/// R query blocks with T key tiles each, in S copies: QueryTiles [S·R], KeyTiles [S·R·T] (tile indices), Disallowed
/// [R, b, T·b] (an additive bias in the scores' dtype: 0 where allowed, the lowest finite value where the token mask
/// forbids the entry; null when every entry of the tiles is allowed) and
/// RowHasKey [R, b, 1] (null when no row is empty); the copies share the mask.
/// </summary>
internal sealed record BlockSparseGroup(int Rows, int Tiles, Tensor QueryTiles, Tensor? KeyTiles, Tensor? Disallowed, Tensor? RowHasKey);
