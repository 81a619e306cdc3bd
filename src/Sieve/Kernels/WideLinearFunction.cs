// The autograd node of a linear layer on WideGemm: y = x·Wᵀ + b forward, and backward the three products of its
// gradient, dx = dy·W, dW = dyᵀ·x (the transpose read in place through A's strides) and db = Σ dy over the rows, all in
// 512-bit tiles but the sum. The forward saves x and W, as torch's own linear does; the handles that pass between C#
// and libtorch are released as AutogradHandles says.
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// <c>apply(x, weight, bias)</c> for a contiguous float32 x [M, K], weight [N, K] and bias [N] or null, on a CPU where
/// <see cref="WideGemm.Supported"/>: the output [M, N] with gradients for the three.
/// </summary>
internal sealed class WideLinearFunction : autograd.SingleTensorFunction<WideLinearFunction>
{
    public override string Name => "WideLinear";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        AutogradHandles.ReleaseReturned();
        var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], vars[2] as Tensor);
        ctx.save_for_backward([x, weight]);
        ctx.save_data("inputGrad", x.requires_grad);
        ctx.save_data("weightGrad", weight.requires_grad);                              // false for a frozen layer
        ctx.save_data("bias", bias is not null && bias.requires_grad);
        return Forward(x, weight, bias);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        AutogradHandles.ReleaseReturned();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();                                         // handles of this scope
        var (x, weight) = (saved[0], saved[1]);
        int m = (int)x.shape[0], k = (int)x.shape[1], n = (int)weight.shape[0];
        var gradient = grad_output.contiguous();                                       // [M, N]
        Tensor? dx = null;
        if ((bool)ctx.get_data("inputGrad"))
        {
            dx = empty(m, k, x.dtype, x.device);
            WideGemm.Multiply(new WideGemm.Left(gradient, n, 1), weight, bTransposed: false, null, dx, m, k, n);      // dy·W
        }
        Tensor? dw = null;
        if ((bool)ctx.get_data("weightGrad"))
        {
            dw = empty(n, k, x.dtype, x.device);
            WideGemm.Multiply(new WideGemm.Left(gradient, 1, n), x, bTransposed: false, null, dw, n, k, m);            // dyᵀ·x
        }
        var db = (bool)ctx.get_data("bias") ? gradient.sum([0L]) : null;   // [N] (sum(0) would pick the dtype overload)
        // TorchSharp asks one gradient per argument; null says there is none.
        return AutogradHandles.Return(grad_output, [dx, dw, db]);
    }

    /// <summary>x·Wᵀ + b without gradients.</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias)
    {
        int m = (int)x.shape[0], k = (int)x.shape[1], n = (int)weight.shape[0];
        var y = empty(m, n, x.dtype, x.device);
        WideGemm.Multiply(new WideGemm.Left(x, k, 1), weight, bTransposed: true, bias, y, m, n, k);
        return y;
    }
}
