// The dense baseline: libtorch's scaled_dot_product_attention with the layout as a bool mask (or, with a bias, a float
// mask that is −∞ off the layout). O(N²) memory; what the sparse kernels are measured against.
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>Attention through <c>torch.nn.functional.scaled_dot_product_attention</c>.</summary>
public sealed class SdpaKernel : AttentionKernel
{
    public override AttentionKernelKind Kind => AttentionKernelKind.Sdpa;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        using var scope = NewDisposeScope();
        var mask = layout.DenseMask(q.device);                                     // [B, H|1, N, N]
        // SDPA returns NaN for a row with no allowed key. Such rows (padding, empty pattern rows) get their diagonal
        // for the call and are zeroed afterwards, which also stops any gradient through them.
        var hasKey = mask.any(-1, keepdim: true);                                  // [B, H|1, N, 1]
        var eye = torch.eye(layout.PaddedLength, dtype: ScalarType.Bool, device: q.device);  // [N, N]
        var safe = mask.logical_or(eye.logical_and(hasKey.logical_not()));         // [B, H|1, N, N]
        Tensor attnMask = safe;
        if (layout.Bias is not null)
        {
            var bias = layout.Bias.to(q.dtype);                                    // [B|1, H|1, N, N]
            attnMask = bias.MaskedFill(safe.logical_not(), double.NegativeInfinity);       // [B, H, N, N]
        }
        var output = nn.functional.scaled_dot_product_attention(q, k, v, attnMask);   // [B, H, N, D]
        output = output.mul(hasKey);                                               // [B, H, N, D]
        return output.MoveToOuterDisposeScope();
    }
}
