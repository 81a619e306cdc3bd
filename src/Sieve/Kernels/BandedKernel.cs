// Banded attention (Longformer's sliding chunks, BigBird's window + global tokens): the window part of a layout
// runs on overlapping strided views of K and V (BandedFunction), the few global rows densely over all keys. A layout
// that does not split that way (random blocks, scattered keys) runs on BlockSparse, which computes the same function.
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention over the <see cref="BandedSplit"/> of the layout: band and global columns in one softmax per row, global
/// rows as a small dense part [r, N], written over the band's (zero) output rows. Exact for every layout.
/// </summary>
public sealed class BandedKernel(BandedOptions? options = null) : AttentionKernel
{
    private BlockSparseKernel? _fallback;

    public BandedOptions Options { get; } = options ?? new BandedOptions();

    public override AttentionKernelKind Kind => AttentionKernelKind.Banded;

    /// <summary>Whether <paramref name="layout"/> splits into a band and a small dense part (otherwise Attend runs BlockSparse).</summary>
    public bool Handles(AttentionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return BandedSplit.For(layout, Options.BlockSize, Options.MaxGlobalShare).Applicable;
    }

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        RejectBias(layout);
        var split = BandedSplit.For(layout, Options.BlockSize, Options.MaxGlobalShare);
        if (!split.Applicable)
        {
            _fallback ??= new BlockSparseKernel(new BlockSparseOptions { BlockSize = Options.BlockSize, ChunkEntries = Options.ChunkEntries });
            return _fallback.Attend(q, k, v, layout);                               // [B, H, N, D]
        }
        using var scope = NewDisposeScope();
        var plan = BandedPlan.For(layout, split, Options.MaxGlobalShare, q.dtype, q.device);
        double scale = 1.0 / Math.Sqrt(q.shape[3]);
        // Without gradients (inference, evaluation) the forward runs as is: no autograd node, no saved tensors.
        bool needsGradient = is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad);
        var output = needsGradient
            ? BandedFunction.apply(q, k, v, plan, Options.ChunkEntries, scale)     // [B, H, N, D]
            : BandedFunction.Forward(q, k, v, plan, Options.ChunkEntries, scale);  // [B, H, N, D]
        output = WithGlobalRows(output, q, k, v, plan, scale, inPlace: !needsGradient);   // [B, H, N, D]
        return output.MoveToOuterDisposeScope();
    }

    // The global rows, softmax over all N keys in plain differentiable ops, copied over their rows of the output: in
    // place for inference (a copy would double the output, most of the forward's peak), out of place under autograd
    // (the band's node saved its output for the backward).
    private static Tensor WithGlobalRows(Tensor output, Tensor q, Tensor k, Tensor v, BandedPlan plan, double scale, bool inPlace)
    {
        var (batch, heads, n, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]);
        var targets = new List<Tensor>();
        var values = new List<Tensor>();
        using var factor = scale.ToScalar();   // explicit and kept alive: see KeptScalars
        using var lowest = (q.dtype == ScalarType.Float64 ? double.MinValue : float.MinValue).ToScalar();
        for (int e = 0; e < batch; e++)
        {
            // Heads sharing the example's map run as one batch; per-head maps one head at a time.
            int groups = plan.LayoutHeads == 1 ? 1 : (int)heads;
            long width = plan.LayoutHeads == 1 ? heads : 1;
            for (int g = 0; g < groups; g++)
            {
                var map = plan.Map(e, g);
                if (map.Rows is null) continue;
                var (qe, ke, ve) = (q[e].narrow(0, g, width), k[e].narrow(0, g, width), v[e].narrow(0, g, width));   // [h, N, D]
                var scores = qe.index_select(1, map.Rows).matmul(ke.transpose(1, 2)).mul(factor);   // [h, r, N]
                var probs = scores.masked_fill(map.RowDisallowed!, lowest).softmax(-1);             // [h, r, N]
                values.Add(probs.matmul(ve).reshape(-1, d));                                        // [h·r, D]
                // Flat row index of (e, head, row) in [B·H·N].
                var first = torch.arange((e * heads) + g, (e * heads) + g + width, dtype: ScalarType.Int64, device: q.device).mul(KeptScalars.Of(n));  // [h]
                targets.Add(first.unsqueeze(1).add(map.Rows.unsqueeze(0), KeptScalars.Of(1)).reshape(-1));                             // [h·r]
            }
        }
        if (targets.Count == 0) return output;
        var rows = output.view(-1, d);                                             // [B·H·N, D]
        var (where, what) = (torch.cat(targets, 0), torch.cat(values, 0));         // [Σ h·r], [Σ h·r, D]
        return inPlace ? rows.index_copy_(0, where, what).view(batch, heads, n, d) : rows.index_copy(0, where, what).view(batch, heads, n, d);   // [B, H, N, D]
    }
}
