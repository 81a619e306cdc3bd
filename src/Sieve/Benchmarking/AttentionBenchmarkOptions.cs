// The shape and timing settings of one `sieve bench attention` measurement (AttentionBenchmark), validated at set.
using static TorchSharp.torch;

namespace Sieve.Benchmarking;

/// <summary>Immutable settings of <see cref="AttentionBenchmark"/>: q, k, v are random [Batch, Heads, Length, Dim].</summary>
public sealed record AttentionBenchmarkOptions
{
    /// <summary>The sequence length N (default 1024); every example has the full length, no padding.</summary>
    public int Length { get; init => field = Positive(value, nameof(Length)); } = 1024;

    /// <summary>Heads H (default 12, BERT-base); all heads share the pattern's layout.</summary>
    public int Heads { get; init => field = Positive(value, nameof(Heads)); } = 12;

    /// <summary>Head dimension D (default 64, BERT-base).</summary>
    public int Dim { get; init => field = Positive(value, nameof(Dim)); } = 64;

    /// <summary>Examples B (default 1).</summary>
    public int Batch { get; init => field = Positive(value, nameof(Batch)); } = 1;

    /// <summary>Timed runs per kernel and mode; the median is reported (default 5).</summary>
    public int Repeats { get; init => field = Positive(value, nameof(Repeats)); } = 5;

    /// <summary>Untimed runs of every kernel before any is timed (default 1): thread pools, JIT, first-touch page faults.</summary>
    public int Warmup
    {
        get;
        init
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(Warmup), value, $"the warm-up count must be at least 0, got {value}.");
            field = value;
        }
    } = 1;

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

    /// <summary>Seed of q, k, v and of random patterns (default 17).</summary>
    public int Seed { get; init; } = 17;

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, got {value}.");
}
