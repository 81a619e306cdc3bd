// The shape and timing settings of one `sieve bench model` measurement (ModelBenchmark), validated at set.
using Sieve.Benchmarking;

namespace Sieve.Modeling;

/// <summary>
/// Immutable settings of <see cref="ModelBenchmark"/>: a BERT of <see cref="Config"/>'s shape with random weights on
/// [Batch, Length] token ids. Defaults: length 512 and 3 repeats (a whole model is slow at large N); the shared settings
/// are <see cref="BenchmarkOptions"/>'s.
/// </summary>
public sealed record ModelBenchmarkOptions() : BenchmarkOptions(length: 512, repeats: 3)
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

    /// <summary>
    /// The config the benchmark builds: <see cref="Config"/> with max_position_embeddings raised to at least
    /// <see cref="BenchmarkOptions.Length"/> (a random model has no trained positions to outgrow) and no saved attention (the benchmark
    /// sets the pattern and kernel); a non-interleaved sublayer order is kept, as it is part of the shape.
    /// </summary>
    public BertConfig ModelConfig => Config with
    {
        MaxPositionEmbeddings = Math.Max(Config.MaxPositionEmbeddings, Length),
        Sieve = Config.Sieve?.Sublayers is { } sublayers ? new BertSieveSettings { Sublayers = sublayers } : null,
    };
}
