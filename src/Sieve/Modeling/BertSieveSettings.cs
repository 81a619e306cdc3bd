// Sieve's own section of config.json ("sieve"): what HF's BertConfig does not know and a reload needs.
using System.Text.Json.Serialization;
using Sieve.Variants;

namespace Sieve.Modeling;

/// <summary>
/// The attention a model was trained or saved with (a pattern, an attention spec with variants, or a learnable pattern),
/// and its sublayer order.
/// </summary>
public sealed record BertSieveSettings
{
    /// <summary>The pattern spec (Pattern.ToString()); null means dense (full) attention. Written when no layer has an attention variant.</summary>
    [JsonPropertyName("attention_pattern")] public string? AttentionPattern { get; init; }

    /// <summary>
    /// The full attention spec (AttentionSpec.ToString()) when some layer has an attention variant, e.g.
    /// <c>layers(0:linformer(k=32,share=none);*:local(2))</c>; the model builds those variants when it is constructed,
    /// so that their weights (<c>...attention.self.variant.*</c>) load. Takes precedence over <see cref="AttentionPattern"/>.
    /// </summary>
    [JsonPropertyName("attention")] public string? Attention { get; init; }

    /// <summary>
    /// The learnable pattern's spec (LearnableSpec.ToString(), e.g. <c>learned_diagonal(max_offset=16,level=task,...)+global(1)</c>);
    /// the model builds it before the weights load (its parameters are <c>learned_pattern.*</c>), so a reload hardens to
    /// the identical pattern. When set, <see cref="AttentionPattern"/> and <see cref="Attention"/> are null.
    /// </summary>
    [JsonPropertyName("learnable_pattern")] public string? LearnablePattern { get; init; }

    /// <summary>The sublayer order (SublayerOrder, e.g. <c>sssfsfsfff</c>); null means HF's interleaved (sf)ⁿ.</summary>
    [JsonPropertyName("sublayers")] public string? Sublayers { get; init; }

    /// <summary>
    /// The section for <paramref name="spec"/> and <paramref name="sublayers"/>: a spec without variants is written as
    /// <c>attention_pattern</c> (what older readers know), one with variants as <c>attention</c>, a learnable pattern as
    /// <c>learnable_pattern</c>; null when there is nothing to record.
    /// </summary>
    public static BertSieveSettings? For(AttentionSpec? spec, string? sublayers)
    {
        if (spec is null && sublayers is null) return null;
        return new BertSieveSettings
        {
            AttentionPattern = spec is { HasVariants: false, Learnable: null } ? spec.ToString() : null,
            Attention = spec is { HasVariants: true } ? spec.ToString() : null,
            LearnablePattern = spec?.Learnable?.ToString(),
            Sublayers = sublayers,
        };
    }
}
