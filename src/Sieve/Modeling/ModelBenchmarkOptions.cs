// The shape and timing settings of one `sieve bench model` measurement (ModelBenchmark), validated at set.
namespace Sieve.Modeling;

/// <summary>Immutable settings of <see cref="ModelBenchmark"/>: a BERT of <see cref="Config"/>'s shape with random weights on [Batch, Length] token ids.</summary>
public sealed record ModelBenchmarkOptions
{
    /// <summary>The model's shape (default bert-base); its weights are random, and its saved attention is ignored.</summary>
    public BertConfig Config
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            field = value;
        }
    } = BertShapes.BertBase;

    /// <summary>The sequence length N (default 512); every example has the full length, no padding.</summary>
    public int Length { get; init => field = Positive(value, nameof(Length)); } = 512;

    /// <summary>Examples B (default 1).</summary>
    public int Batch { get; init => field = Positive(value, nameof(Batch)); } = 1;

    /// <summary>Timed runs per kernel and mode; the median is reported (default 3: a whole model is slow at large N).</summary>
    public int Repeats { get; init => field = Positive(value, nameof(Repeats)); } = 3;

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

    /// <summary>Seed of the token ids and of random patterns (default 17).</summary>
    public int Seed { get; init; } = 17;

    /// <summary>
    /// The config the benchmark builds: <see cref="Config"/> with max_position_embeddings raised to at least
    /// <see cref="Length"/> (a random model has no trained positions to outgrow) and no saved attention (the benchmark
    /// sets the pattern and kernel); a non-interleaved sublayer order is kept, as it is part of the shape.
    /// </summary>
    public BertConfig ModelConfig => Config with
    {
        MaxPositionEmbeddings = Math.Max(Config.MaxPositionEmbeddings, Length),
        Sieve = Config.Sieve?.Sublayers is { } sublayers ? new BertSieveSettings { Sublayers = sublayers } : null,
    };

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, got {value}.");
}
