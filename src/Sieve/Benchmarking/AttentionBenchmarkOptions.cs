// The shape and timing settings of one `sieve bench attention` measurement (AttentionBenchmark), validated at set.
using static TorchSharp.torch;

namespace Sieve.Benchmarking;

/// <summary>
/// Immutable settings of <see cref="AttentionBenchmark"/>: q, k, v are random [Batch, Heads, Length, Dim]. Defaults:
/// length 1024 and 5 repeats (one attention call is fast enough for both); the shared settings are
/// <see cref="BenchmarkOptions"/>'s.
/// </summary>
public sealed record AttentionBenchmarkOptions() : BenchmarkOptions(length: 1024, repeats: 5)
{
    /// <summary>Heads H (default 12, BERT-base); all heads share the pattern's layout.</summary>
    public int Heads { get; init => field = Positive(value, nameof(Heads)); } = 12;

    /// <summary>Head dimension D (default 64, BERT-base).</summary>
    public int Dim { get; init => field = Positive(value, nameof(Dim)); } = 64;

    /// <summary>Element type of q, k, v (default float32).</summary>
    public ScalarType DType
    {
        get;
        init
        {
            if (value is not (ScalarType.Float32 or ScalarType.Float64))
                throw new ArgumentOutOfRangeException(nameof(DType), value, $"the benchmark runs float32 or float64, got {value}.");
            field = value;
        }
    } = ScalarType.Float32;
}
