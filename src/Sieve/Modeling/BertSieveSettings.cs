// Sieve's own section of config.json ("sieve"): what HF's BertConfig does not know and a reload needs.
using System.Text.Json.Serialization;
using Sieve.Patterns;
using Sieve.Specs;

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
    /// The one attention spec the section records, null for dense: its learnable pattern, else its attention spec, else
    /// its pattern (the three keys are one spec written where older readers look for it). Throws
    /// <see cref="ArgumentException"/> naming the key whose spec is invalid, or when a learnable pattern is recorded
    /// beside another attention (it replaces the whole attention pattern).
    /// </summary>
    public AttentionSpec? ReadSpec()
    {
        if (LearnablePattern is { } learnable)
        {
            if ((Attention ?? AttentionPattern) is { } other)
                throw new ArgumentException($"the config's sieve section records the learnable pattern '{learnable}' and the attention '{other}'; a learnable pattern replaces the whole attention pattern, so keep one of them.");
            return Read("learnable_pattern", learnable, "learnable pattern", SpecForms.Learnable);
        }
        if (Attention is { } attention) return Read("attention", attention, "attention spec", SpecForms.Pattern | SpecForms.Variant);
        return AttentionPattern is { } pattern ? Read("attention_pattern", pattern, "pattern", SpecForms.Pattern) : null;
    }

    private static AttentionSpec Read(string key, string text, string what, SpecForms forms)
    {
        try
        {
            return AttentionSpec.Parse(text).Require($"sieve.{key}", forms);
        }
        catch (SpecException e)
        {
            throw new ArgumentException($"the config's sieve.{key} '{text}' is not a valid {what}: {e.Message}", e);
        }
    }

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
