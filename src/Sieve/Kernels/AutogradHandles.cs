// TorchSharp's custom autograd functions hand every tensor between C# and libtorch as a new C# handle, and a handle
// keeps its tensor's memory alive until it is disposed or the GC finalises it, which in a training step means long
// after libtorch has let go: the saved inputs unpacked in backward, the upstream gradient and the gradients returned.
// bert-base at N = 4,096 with its linear layers as such functions held 2.4 GB more at the training step's live peak
// (docs/BENCHMARKS.md). A backward disposes what it unpacks and the upstream gradient itself; the gradients it returns
// cannot be disposed before libtorch has taken its own reference (after backward returns), so they are released by the
// next backward or forward of such a function on the same thread: libtorch runs a CPU graph's backward on the calling
// thread, one node at a time, so by then it holds its own references.
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>Releases the C# handles of tensors that custom autograd functions pass to libtorch.</summary>
internal static class AutogradHandles
{
    [ThreadStatic]
    private static List<Tensor>? _returned;

    /// <summary>
    /// Disposes the handles of the gradients the last backward on this thread returned; call it at the start of every
    /// backward and forward of a custom function.
    /// </summary>
    public static void ReleaseReturned()
    {
        if (_returned is null) return;
        foreach (var gradient in _returned) gradient.Dispose();
        _returned.Clear();
    }

    /// <summary>
    /// The gradients a backward returns, out of every dispose scope, remembered for <see cref="ReleaseReturned"/>; the
    /// upstream gradient's handle is disposed (libtorch keeps its own reference as long as it needs it).
    /// </summary>
    public static List<Tensor> Return(Tensor upstream, List<Tensor?> gradients)
    {
        _returned ??= [];
        foreach (var gradient in gradients)
        {
            if (gradient is null) continue;
            gradient.DetachFromDisposeScope();
            _returned.Add(gradient);
        }
        // A backward that passed the upstream gradient through as a result must keep that handle for libtorch.
        if (!gradients.Any(gradient => ReferenceEquals(gradient, upstream))) upstream.Dispose();
        return gradients!;
    }
}
