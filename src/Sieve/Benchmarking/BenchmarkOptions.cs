// The settings every timed benchmark shares (`sieve bench attention`, `sieve bench model`): length, batch, repeats,
// warm-up and seed, validated at set. Each benchmark's options derive from it and set their own default length and
// repeats, since a whole model at large N is far slower than one attention call.
namespace Sieve.Benchmarking;

/// <summary>The shape and timing settings of a benchmark; the derived options name their defaults.</summary>
public abstract record BenchmarkOptions
{
    /// <summary>Sets the defaults that differ between benchmarks.</summary>
    protected BenchmarkOptions(int length, int repeats)
    {
        Length = length;
        Repeats = repeats;
    }

    /// <summary>The sequence length N; every example has the full length, no padding.</summary>
    public int Length { get; init => field = Positive(value, nameof(Length)); }

    /// <summary>Examples B (default 1).</summary>
    public int Batch { get; init => field = Positive(value, nameof(Batch)); } = 1;

    /// <summary>Timed runs per kernel and mode; the median is reported.</summary>
    public int Repeats { get; init => field = Positive(value, nameof(Repeats)); }

    /// <summary>
    /// The least total time in ms of the fastest kernel's timed runs (default 0: exactly <see cref="Repeats"/> runs):
    /// rounds continue past Repeats until it is reached, at most 50 × Repeats; for short calls, whose medians of a few
    /// runs move by tens of per cent on a shared machine.
    /// </summary>
    public double MinTimeMs
    {
        get;
        init
        {
            if (!(value >= 0)) throw new ArgumentOutOfRangeException(nameof(MinTimeMs), value, $"the minimum time must be at least 0 ms, got {value}.");
            field = value;
        }
    }

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

    /// <summary>Seed of the inputs and of random patterns (default 17).</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Throws unless <paramref name="value"/> is at least 1, naming the setting.</summary>
    protected static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, got {value}.");
}
