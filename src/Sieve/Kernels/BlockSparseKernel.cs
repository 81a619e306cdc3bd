// Block-sparse attention (BigBird / FlexAttention style): only the non-empty b×b tiles of the block layout are
// computed, as batched matmuls, with the exact token mask inside each tile; gradients come from autograd.
using Sieve.Patterns;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention over the tiles of <see cref="BlockLayout"/>. Query blocks are grouped by their number of tiles T, and each
/// group is one gather + bmm + softmax + bmm over [R, b, T·b] scores, so no tile is padded and none is skipped.
/// </summary>
public sealed class BlockSparseKernel(BlockSparseOptions? options = null) : AttentionKernel
{
    public BlockSparseOptions Options { get; } = options ?? new BlockSparseOptions();

    public override AttentionKernelKind Kind => AttentionKernelKind.BlockSparse;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        RejectBias(layout);
        using var scope = NewDisposeScope();
        var (batch, heads, n, d) = ((int)q.shape[0], (int)q.shape[1], (int)q.shape[2], (int)q.shape[3]);
        int b = Options.BlockSize, blocks = (n + b - 1) / b;
        double scale = 1.0 / Math.Sqrt(d);
        var qt = Tiles(q, blocks, b);                                              // [B·H·nb, b, D]
        var kt = Tiles(k, blocks, b);                                              // [B·H·nb, b, D]
        var vt = Tiles(v, blocks, b);                                              // [B·H·nb, b, D]
        var lowest = q.dtype == ScalarType.Float64 ? double.MinValue : float.MinValue;
        var parts = new List<Tensor>();
        var order = new List<long>();
        foreach (var group in Groups(layout, batch, heads, blocks, b))
        {
            order.AddRange(group.Rows);
            int rows = group.Rows.Count, tiles = group.Tiles;
            if (tiles == 0)
            {
                parts.Add(torch.zeros(rows, b, d, q.dtype, q.device));              // [R, b, D]
                continue;
            }
            var qIndex = torch.tensor(group.Rows.ToArray(), device: q.device);    // [R]
            var kIndex = torch.tensor(group.KeyTiles.ToArray(), device: q.device);  // [R·T]
            var mask = torch.tensor(group.Mask, device: q.device).view(rows, b, tiles * b);  // [R, b, T·b]
            var qg = qt.index_select(0, qIndex);                                   // [R, b, D]
            var kg = kt.index_select(0, kIndex).view(rows, tiles * b, d);          // [R, T·b, D]
            var vg = vt.index_select(0, kIndex).view(rows, tiles * b, d);          // [R, T·b, D]
            var scores = qg.bmm(kg.transpose(1, 2)).mul(scale);                    // [R, b, T·b]
            // As in the reference: a finite fill keeps empty rows finite, the mask product zeroes them.
            var probs = scores.masked_fill(mask.logical_not(), lowest).softmax(-1).mul(mask);  // [R, b, T·b]
            parts.Add(probs.bmm(vg));                                              // [R, b, D]
        }
        var inverse = new long[order.Count];
        for (int i = 0; i < order.Count; i++) inverse[order[i]] = i;
        var grouped = torch.cat(parts, 0);                                         // [B·H·nb, b, D] in group order
        var output = grouped.index_select(0, torch.tensor(inverse, device: q.device));  // [B·H·nb, b, D]
        output = output.view(batch, heads, blocks * b, d).narrow(2, 0, n);         // [B, H, N, D]
        return output.contiguous().MoveToOuterDisposeScope();
    }

    // [B, H, N, D] → zero-padded to nb·b rows → [B·H·nb, b, D] tiles.
    private static Tensor Tiles(Tensor x, int blocks, int b)
    {
        long n = x.shape[2], d = x.shape[3];
        var padded = blocks * b == n ? x : nn.functional.pad(x, [0, 0, 0, (blocks * b) - n]);  // [B, H, nb·b, D]
        return padded.reshape(-1, b, d);                                           // [B·H·nb, b, D]
    }

    /// <summary>Query blocks with the same tile count, their key tiles (flat tile indices) and their token mask.</summary>
    private sealed record Group(int Tiles, List<long> Rows, List<long> KeyTiles, bool[] Mask);

    private static IEnumerable<Group> Groups(AttentionLayout layout, int batch, int heads, int blocks, int b)
    {
        var byCount = new SortedDictionary<int, (List<long> Rows, List<long> Keys, List<(int Bh, int Qb)> Where)>();
        for (int bh = 0; bh < batch * heads; bh++)
        {
            var tiles = layout.Blocks(bh / heads, bh % heads, b);
            for (int qb = 0; qb < blocks; qb++)
            {
                var row = tiles.Row(qb);
                if (!byCount.TryGetValue(row.Length, out var group))
                    byCount[row.Length] = group = ([], [], []);
                group.Rows.Add(((long)bh * blocks) + qb);
                foreach (int kb in row) group.Keys.Add(((long)bh * blocks) + kb);
                group.Where.Add((bh, qb));
            }
        }
        var slot = new int[blocks];
        foreach (var (count, group) in byCount)
        {
            var mask = new bool[group.Rows.Count * b * count * b];
            for (int r = 0; r < group.Where.Count && count > 0; r++)
            {
                var (bh, qb) = group.Where[r];
                var tiles = layout.Blocks(bh / heads, bh % heads, b);
                var row = tiles.Row(qb);
                for (int t = 0; t < row.Length; t++) slot[row[t]] = t;
                MarkTokens(tiles.Csr, qb, b, count, slot, mask.AsSpan(r * b * count * b, b * count * b));
            }
            yield return new Group(count, group.Rows, group.Keys, mask);
        }
    }

    // Sets mask[local row, t·b + key mod b] for every allowed key of the block's rows; slot maps key block → tile t.
    private static void MarkTokens(CsrLayout csr, int qb, int b, int count, int[] slot, Span<bool> mask)
    {
        int rowEnd = Math.Min((qb + 1) * b, csr.PaddedLength);
        for (int i = qb * b; i < rowEnd; i++)
        {
            var line = mask.Slice((i - (qb * b)) * count * b, count * b);
            foreach (int key in csr.Row(i)) line[(slot[key / b] * b) + (key % b)] = true;
        }
    }
}
