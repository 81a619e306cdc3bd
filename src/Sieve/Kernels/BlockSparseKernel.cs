// Block-sparse attention (BigBird / FlexAttention style): only the non-empty b×b tiles of the block layout are
// computed, as batched matmuls, with the exact token mask inside each tile; gradients come from autograd.
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention over the tiles of <see cref="Patterns.BlockLayout"/>. Query blocks are grouped by their number of tiles T,
/// and each group is one gather + bmm + softmax + bmm over [S·R, b, T·b] scores, so no tile is padded and none is
/// skipped. Heads that share a layout share the group's mask (S = H copies); per-head layouts use S = 1.
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
        int b = Options.BlockSize;
        bool shared = layout.Heads == 1;
        int copies = shared ? heads : 1;
        var plan = BlockSparsePlan.For(layout, b, copies, q.dtype, q.device);
        int blocks = plan.Blocks;
        // Scaling q once ([B, H, N, D]) is cheaper than scaling every score.
        var qt = Tiles(q.mul(1.0 / Math.Sqrt(d)), blocks, b, shared);            // [S·M·nb, b, D]
        var kt = Tiles(k, blocks, b, shared);                                      // [S·M·nb, b, D]
        var vt = Tiles(v, blocks, b, shared);                                      // [S·M·nb, b, D]
        var parts = new List<Tensor>(plan.Groups.Count);
        foreach (var group in plan.Groups)
        {
            long rows = group.Rows;
            if (group.KeyTiles is null)
            {
                parts.Add(torch.zeros([copies * rows, b, d], q.dtype, q.device));  // [S·R, b, D]
                continue;
            }
            int span = group.Tiles * b;
            var qg = qt.index_select(0, group.QueryTiles);                         // [S·R, b, D]
            var kg = kt.index_select(0, group.KeyTiles).view(-1, span, d);         // [S·R, T·b, D]
            var vg = vt.index_select(0, group.KeyTiles).view(-1, span, d);         // [S·R, T·b, D]
            var scores = qg.bmm(kg.transpose(1, 2));                               // [S·R, b, T·b]
            if (group.Bias is not null) scores.view(copies, rows, b, span).add_(group.Bias);  // [S, R, b, T·b]
            var output = scores.softmax(-1).bmm(vg);                               // [S·R, b, D]
            // An empty row's softmax is uniform over the lowest fill (finite); zeroing it also stops its gradient.
            if (group.RowHasKey is not null)
                output = output.view(copies, rows, b, d).mul(group.RowHasKey).view(-1, b, d);  // [S·R, b, D]
            parts.Add(output);
        }
        var grouped = parts.Count == 1 ? parts[0] : torch.cat(parts, 0);          // [S·M·nb, b, D] in group order
        var result = grouped.index_select(0, plan.Inverse);                        // [S·M·nb, b, D]
        result = shared
            ? result.view(heads, batch, blocks * b, d).transpose(0, 1)             // [B, H, nb·b, D]
            : result.view(batch, heads, blocks * b, d);                            // [B, H, nb·b, D]
        return result.narrow(2, 0, n).contiguous().MoveToOuterDisposeScope();     // [B, H, N, D]
    }

    // [B, H, N, D] → zero-padded to nb·b rows → tiles [H·B·nb, b, D] (head-major) when heads share the layout, else [B·H·nb, b, D].
    private static Tensor Tiles(Tensor x, int blocks, int b, bool shared)
    {
        long n = x.shape[2], d = x.shape[3];
        var padded = blocks * b == n ? x : nn.functional.pad(x, [0, 0, 0, (blocks * b) - n]);  // [B, H, nb·b, D]
        return shared
            ? padded.transpose(0, 1).reshape(-1, b, d)                             // [H·B·nb, b, D]
            : padded.reshape(-1, b, d);                                            // [B·H·nb, b, D]
    }
}
