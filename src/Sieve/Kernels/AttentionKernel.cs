// The kernel seam (DESIGN.md §1): one small abstract class with one method, so that choosing a kernel never changes
// the result. Every kernel: scale 1/√D, padding rows give zeros, a row with no allowed key gives zeros, never NaN.
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>Computes softmax(QKᵀ/√D + bias, restricted to the layout)·V for q, k, v of shape [B, H, N, D].</summary>
public abstract class AttentionKernel
{
    /// <summary>Which kernel this is.</summary>
    public abstract AttentionKernelKind Kind { get; }

    /// <summary>Attends; the result [B, H, N, D] is differentiable in q, k and v (and the layout's bias where taken).</summary>
    public abstract Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout);

    /// <summary>
    /// <see cref="Attend"/> for a caller that no longer needs q: without gradients, a kernel may write the result over
    /// q's storage and return it as q's view, which saves one [B, H, N, D] at the call's peak and, in the encoder, the
    /// copy back to [B, N, Hd] (q's view of the projection already has that memory order). q must not share storage with
    /// k or v. The default attends as <see cref="Attend"/> does, leaving q as it was.
    /// </summary>
    public virtual Tensor AttendOverQueries(Tensor q, Tensor k, Tensor v, AttentionLayout layout) => Attend(q, k, v, layout);

    /// <summary>The kernel of a kind with its default options; Auto reads the calibration at <see cref="AttentionCostModel.DefaultPath"/> if there is one.</summary>
    public static AttentionKernel Create(AttentionKernelKind kind) => kind switch
    {
        AttentionKernelKind.Reference => new ReferenceKernel(),
        AttentionKernelKind.Sdpa => new SdpaKernel(),
        AttentionKernelKind.BlockSparse => new BlockSparseKernel(),
        AttentionKernelKind.Csr => new CsrKernel(),
        AttentionKernelKind.Banded => new BandedKernel(),
        AttentionKernelKind.Auto => new AutoKernel(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown attention kernel kind."),
    };

    /// <summary>Checks that q, k, v are [B, H, N, D] alike and match the layout's batch and padded length.</summary>
    protected static void CheckShapes(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(layout);
        if (q.Dimensions != 4 || !q.shape.SequenceEqual(k.shape) || !q.shape.SequenceEqual(v.shape))
            throw new ArgumentException($"q, k and v must all be [B, H, N, D]; got [{string.Join(", ", q.shape)}], [{string.Join(", ", k.shape)}], [{string.Join(", ", v.shape)}].");
        if (q.shape[0] != layout.Batch || q.shape[2] != layout.PaddedLength || (layout.Heads != 1 && q.shape[1] != layout.Heads))
            throw new ArgumentException($"q is [{string.Join(", ", q.shape)}] but the layout is for B = {layout.Batch}, H = {layout.Heads}, N = {layout.PaddedLength}.");
    }

    /// <summary>Rejects a bias in kernels that cannot add one, saying which kernels can.</summary>
    protected void RejectBias(AttentionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Bias is not null)
            throw new NotSupportedException($"the {Kind} kernel takes no float bias; use the Reference or Sdpa kernel while a learnable pattern trains, and a sparse kernel after Harden().");
    }
}
