// One computed metric of a task, e.g. (F1, 0.88) for MRPC.
namespace Sieve.Metrics;

/// <summary>A metric and its value (a fraction or correlation, not a percentage).</summary>
public sealed record MetricValue(MetricKind Kind, double Value);
