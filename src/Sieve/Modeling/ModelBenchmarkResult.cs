// One kernel's measurement of a whole encoder by ModelBenchmark: the model-level counterpart of AttentionBenchmarkResult.
using Sieve.Kernels;

namespace Sieve.Modeling;

/// <summary>
/// Medians over the repeats in ms of a forward (evaluation mode, no_grad) and of a forward+backward (training mode) of
/// the whole encoder with <see cref="Kernel"/>; <see cref="Density"/> is the allowed share of N² (mean over layers,
/// heads and examples). <see cref="ForwardChoices"/> and <see cref="TrainStepChoices"/> say what the auto kernel ran in
/// the last timed call of each mode, one choice per layer (e.g. <c>Csr</c>, or <c>BlockSparse×4+Csr×2</c>); null for
/// the other kernels. The peak bytes are filled by whoever measured them (null until then).
/// </summary>
public sealed record ModelBenchmarkResult(
    AttentionKernelKind Kernel, int Length, int Batch, string Pattern, double Density, double ForwardMs, double TrainStepMs,
    string? ForwardChoices, string? TrainStepChoices)
{
    /// <summary>Peak extra bytes of a first forward under no_grad; null when not measured.</summary>
    public long? ForwardPeakBytes { get; init; }

    /// <summary>Peak extra bytes of a second forward (layouts are built per batch, so this is inference's steady state); null when not measured.</summary>
    public long? RepeatForwardPeakBytes { get; init; }

    /// <summary>Peak extra bytes of a forward+backward, parameter gradients included; null when not measured.</summary>
    public long? PeakBytes { get; init; }

    /// <summary>A first forward's peak with freed memory returned to the system at once (no allocator retention); null when not measured.</summary>
    public long? ForwardLivePeakBytes { get; init; }

    /// <summary>The same for a forward+backward; null when not measured.</summary>
    public long? LivePeakBytes { get; init; }
}
