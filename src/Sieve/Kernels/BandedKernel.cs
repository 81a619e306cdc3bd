// Banded attention (Longformer's sliding chunks, BigBird's window + global tokens): the window part of a layout
// runs on overlapping strided views of K and V, the few global rows densely over all keys (BandedFunction). A layout
// that does not split that way (random blocks, scattered keys) runs on BlockSparse, which computes the same function.
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention over the <see cref="BandedSplit"/> of the layout: band and global columns in one softmax per row, global
/// rows as a small dense part [r, N], written over the band's (zero) output rows, in one autograd node. Exact for every
/// layout.
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

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout) => Attend(q, k, v, layout, overQueries: false);

    // Without gradients the output is written over q's storage (BandedFunction.Forward: each chunk reads its own query
    // rows before it writes them; the global rows' queries are read first). With gradients q is saved for the backward.
    public override Tensor AttendOverQueries(Tensor q, Tensor k, Tensor v, AttentionLayout layout) => Attend(q, k, v, layout, overQueries: true);

    private Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout, bool overQueries)
    {
        CheckShapes(q, k, v, layout);
        RejectBias(layout);
        var split = BandedSplit.For(layout, Options.BlockSize, Options.MaxGlobalShare);
        if (!split.Applicable)
        {
            // BlockSparse's own block size: its tiles are gathered copies, and on BigBird's blocks 32 ran the forward 7–15 %
            // and forward+backward 15–45 % faster than Banded's 16 (docs/results/bench-attention/bigbird-blocks-16-32-*.txt).
            _fallback ??= new BlockSparseKernel(new BlockSparseOptions { ChunkEntries = Options.ChunkEntries });
            return _fallback.Attend(q, k, v, layout);                               // [B, H, N, D]
        }
        using var scope = NewDisposeScope();
        var plan = BandedPlan.For(layout, split, Options.MaxGlobalShare, q.dtype, q.device, Options.FusedBand, Options.WideTiles);
        double scale = 1.0 / Math.Sqrt(q.shape[3]);
        // Without gradients (inference, evaluation) the forward runs as is: no autograd node, no saved tensors.
        bool needsGradient = is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad);
        var output = needsGradient
            ? BandedFunction.apply(q, k, v, plan, Options.ChunkEntries, scale)     // [B, H, N, D]
            : BandedFunction.Forward(q, k, v, plan, Options.ChunkEntries, scale, into: overQueries ? q : null);  // [B, H, N, D]
        return output.MoveToOuterDisposeScope();
    }
}
