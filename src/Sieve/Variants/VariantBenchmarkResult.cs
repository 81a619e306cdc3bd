// One attention variant's measurement in `sieve bench attention --variants` (VariantBenchmark), beside the kernels'.
namespace Sieve.Variants;

/// <summary>
/// Medians over the repeats in ms of a forward (eval mode, no gradients) and a forward+backward (train mode, gradients
/// of q, k, v and the variant's parameters); <see cref="PeakBytes"/> as <c>AttentionBenchmark.MeasurePeakExtra</c>
/// (null when not measured).
/// </summary>
public sealed record VariantBenchmarkResult(string Spec, int Length, int Batch, int Heads, int Dim, double ForwardMs, double TrainStepMs, long? PeakBytes);
