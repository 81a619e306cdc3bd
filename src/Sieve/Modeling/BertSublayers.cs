// The `--sublayers` model option (Press et al. 2020, METHODS.md §13) applied to a config: a model built from scratch
// records the order in config.json ("sieve": {"sublayers": ...}); a loaded checkpoint keeps the order it was trained with.
using Sieve.Variants;

namespace Sieve.Modeling;

/// <summary>Resolves a requested sublayer order against a model's config.</summary>
public static class BertSublayers
{
    /// <summary>
    /// <paramref name="config"/> with the sublayer order <paramref name="requested"/> (a string such as
    /// <c>sssfsfsfff</c> or <c>sandwich(k=2)</c>, see <see cref="SublayerOrder.ForLayers"/>) recorded in its
    /// <c>sieve</c> section; unchanged when <paramref name="requested"/> is null. For a config read from the checkpoint in
    /// <paramref name="checkpoint"/>, the order must be the one it was trained with (none recorded: HF's interleaved
    /// order), because reordering would run its trained sublayers in another order; otherwise it throws.
    /// </summary>
    public static BertConfig Apply(BertConfig config, string? requested, string? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (requested is null) return config;
        var order = SublayerOrder.ForLayers(requested, config.NumHiddenLayers);
        if (checkpoint is null) return config with { Sieve = (config.Sieve ?? new BertSieveSettings()) with { Sublayers = order.Sublayers } };

        var saved = config.Sieve?.Sublayers is { } recorded ? SublayerOrder.Parse(recorded) : SublayerOrder.Sandwich(config.NumHiddenLayers, 0);
        if (order != saved)
        {
            string which = config.Sieve?.Sublayers is null ? "HF's interleaved order (its config.json records no sieve.sublayers)" : $"the order {saved}";
            throw new ArgumentException($"--sublayers {order} differs from {which} that the model in {checkpoint} was trained with; a trained model's sublayers cannot be reordered. Omit --sublayers (or pass {saved}), or train a new model from --config with --sublayers {order}.", nameof(requested));
        }
        return config;
    }
}
