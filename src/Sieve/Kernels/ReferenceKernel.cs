// The specification (DESIGN.md §1; METHODS.md §1.1): full scores S = QKᵀ/√D (+ bias), the layout as a mask, softmax
// over the allowed keys, times V. Slow and O(N²) on purpose: every other kernel is tested against it.
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>Dense reference attention in plain tensor ops.</summary>
public sealed class ReferenceKernel : AttentionKernel
{
    public override AttentionKernelKind Kind => AttentionKernelKind.Reference;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        using var scope = NewDisposeScope();
        var mask = layout.DenseMask(q.device);                                     // [B, H|1, N, N]
        var scores = q.matmul(k.transpose(-2, -1)).Times(1.0 / Math.Sqrt(q.shape[3]));   // [B, H, N, N]
        if (layout.Bias is not null) scores = scores.add(layout.Bias, Scalars.One);                 // [B, H, N, N]
        // A finite fill instead of −∞: an empty row then gets a uniform (finite) softmax that the mask zeroes, so
        // neither the output nor the gradient sees a NaN. Allowed rows are exact: exp(lowest − max) is 0.
        var masked = scores.MaskedFill(mask.logical_not(), q.dtype == ScalarType.Float64 ? double.MinValue : float.MinValue);   // [B, H, N, N]
        var probs = masked.softmax(-1).mul(mask);                                  // [B, H, N, N]
        var output = probs.matmul(v);                                              // [B, H, N, D]
        return output.MoveToOuterDisposeScope();
    }
}
