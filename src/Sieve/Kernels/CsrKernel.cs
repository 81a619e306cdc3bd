// Exact token-level sparse attention over the CSR layout (DESIGN.md §1): for each query only its allowed keys are
// scored, so memory is O(nnz) and [B, H, N, N] never exists. Forward and backward are hand-written C# (CsrAttentionMath).
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>Sparse attention over the CSR layout; float32 or float64; the work runs on the CPU.</summary>
public sealed class CsrKernel : AttentionKernel
{
    public override AttentionKernelKind Kind => AttentionKernelKind.Csr;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        RejectBias(layout);
        if (q.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new NotSupportedException($"the Csr kernel computes in float32 or float64, got {q.dtype}; convert q, k and v first.");
        using var scope = NewDisposeScope();
        var output = CsrAttentionFunction.apply(q, k, v, layout);                  // [B, H, N, D]
        return output.MoveToOuterDisposeScope();
    }
}

/// <summary>The autograd node of <see cref="CsrKernel"/>: the math runs on CPU copies of q, k, v in managed arrays.</summary>
internal sealed class CsrAttentionFunction : autograd.SingleTensorFunction<CsrAttentionFunction>
{
    public override string Name => "CsrAttention";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        AutogradHandles.ReleaseReturned();
        var (q, k, v, layout) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (AttentionLayout)vars[3]);
        ctx.save_for_backward([q, k, v]);
        ctx.save_data("layout", layout);
        var shape = new Shape(q);
        if (q.dtype == ScalarType.Float64)
        {
            var o = new double[shape.Elements];
            ctx.save_data("lse", CsrAttentionMath<double>.Forward(Read<double>(q), Read<double>(k), Read<double>(v), o, layout, shape));
            return torch.tensor(o, q.shape).to(q.device);                          // [B, H, N, D]
        }
        var of = new float[shape.Elements];
        ctx.save_data("lse", CsrAttentionMath<float>.Forward(Read<float>(q), Read<float>(k), Read<float>(v), of, layout, shape));
        return torch.tensor(of, q.shape).to(q.device);                             // [B, H, N, D]
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        AutogradHandles.ReleaseReturned();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();                                       // handles of this scope
        var (q, k, v) = (saved[0], saved[1], saved[2]);                            // [B, H, N, D] each
        var layout = (AttentionLayout)ctx.get_data("layout");
        var shape = new Shape(q);
        if (q.dtype == ScalarType.Float64)
        {
            var (dq, dk, dv) = (new double[shape.Elements], new double[shape.Elements], new double[shape.Elements]);
            CsrAttentionMath<double>.Backward(Read<double>(q), Read<double>(k), Read<double>(v), Read<double>(grad_output),
                (double[])ctx.get_data("lse"), dq, dk, dv, layout, shape);
            return AutogradHandles.Return(grad_output, [torch.tensor(dq, q.shape).to(q.device), torch.tensor(dk, q.shape).to(q.device), torch.tensor(dv, q.shape).to(q.device), null]);
        }
        var (fq, fk, fv) = (new float[shape.Elements], new float[shape.Elements], new float[shape.Elements]);
        CsrAttentionMath<float>.Backward(Read<float>(q), Read<float>(k), Read<float>(v), Read<float>(grad_output),
            (float[])ctx.get_data("lse"), fq, fk, fv, layout, shape);
        // TorchSharp asks one gradient per argument, the layout included; null says it has none.
        return AutogradHandles.Return(grad_output, [torch.tensor(fq, q.shape).to(q.device), torch.tensor(fk, q.shape).to(q.device), torch.tensor(fv, q.shape).to(q.device), null]);
    }

    // A contiguous CPU copy in a managed array; the copy is O(B·H·N·D), small next to the O(nnz·D) math.
    private static T[] Read<T>(Tensor tensor) where T : unmanaged
    {
        using var cpu = tensor.detach().cpu().contiguous();                          // [B, H, N, D]
        var data = new T[cpu.numel()];
        cpu.data<T>().CopyTo(data);
        return data;
    }
}
