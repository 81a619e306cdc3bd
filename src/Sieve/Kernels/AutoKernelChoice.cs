// What the auto kernel chose for one call and why (the estimates it compared), for logs and benchmarks.
namespace Sieve.Kernels;

/// <summary>The kernel <see cref="AutoKernel"/> delegated one call to, whether it costed a training step, and every estimate in ms.</summary>
public sealed record AutoKernelChoice(AttentionKernelKind Kernel, bool Training, IReadOnlyDictionary<AttentionKernelKind, double> EstimatesMs)
{
    public override string ToString() =>
        $"{Kernel} ({(Training ? "train step" : "forward")}; " +
        string.Join(", ", EstimatesMs.Select(e => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{e.Key} {e.Value:0.###} ms"))) + ")";
}
