// The autograd protocol the two chunked kernels share (Banded, BlockSparse), FlashAttention-2 style: the forward runs
// without gradients and saves q, k, v, the output and the row log-sum-exp beside the plan, the chunk size and the scale;
// the backward reads them back and recomputes the probabilities. Each kernel gives its lse buffer, forward and backward.
// The handles that pass between C# and libtorch are released as AutogradHandles says.
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// An autograd node applied as <c>apply(q, k, v, plan, chunkEntries, scale)</c>: <typeparamref name="TPlan"/> is the
/// kernel's plan, the scale the factor the scores are multiplied by (1/√D).
/// </summary>
internal abstract class ChunkedAttentionFunction<TSelf, TPlan> : autograd.SingleTensorFunction<TSelf>
    where TSelf : ChunkedAttentionFunction<TSelf, TPlan>, new()
    where TPlan : class
{
    public sealed override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        AutogradHandles.ReleaseReturned();
        var (q, k, v, plan, chunkEntries, scale) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (TPlan)vars[3], (int)vars[4], (double)vars[5]);
        using var scope = NewDisposeScope();
        var lse = NewLse(q, plan);
        var output = Run(q, k, v, plan, chunkEntries, scale, lse);
        // The lse must outlive this scope: a saved tensor whose handle the scope disposed reads back as null.
        ctx.save_for_backward([q, k, v, output, lse.DetachFromDisposeScope()]);
        ctx.save_data("plan", plan);
        ctx.save_data("chunk", chunkEntries);
        ctx.save_data("scale", scale);
        return output.MoveToOuterDisposeScope();
    }

    public sealed override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        AutogradHandles.ReleaseReturned();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();                                         // handles of this scope
        var (plan, chunkEntries, scale) = ((TPlan)ctx.get_data("plan"), (int)ctx.get_data("chunk"), (double)ctx.get_data("scale"));
        var gradients = Backward(grad_output, saved[0], saved[1], saved[2], saved[3], saved[4], plan, chunkEntries, scale);
        return AutogradHandles.Return(grad_output, [.. gradients]);
    }

    /// <summary>The zero row log-sum-exp buffer the forward fills, shaped as the kernel's rows are.</summary>
    protected abstract Tensor NewLse(Tensor q, TPlan plan);

    /// <summary>The kernel's forward without gradients, writing the row log-sum-exp into <paramref name="lse"/>.</summary>
    protected abstract Tensor Run(Tensor q, Tensor k, Tensor v, TPlan plan, int chunkEntries, double scale, Tensor lse);

    /// <summary>The gradients of q, k and v, then <see cref="NoGradient"/> for the plan, the chunk size and the scale.</summary>
    protected abstract List<Tensor> Backward(Tensor gradOutput, Tensor q, Tensor k, Tensor v, Tensor output, Tensor lse, TPlan plan, int chunkEntries, double scale);

    // TorchSharp asks one gradient per argument, the plan, chunk size and scale included; null says it has none.
    protected static Tensor NoGradient => null!;
}
