// Sieve's own section of config.json ("sieve"): what HF's BertConfig does not know and a reload needs.
using System.Text.Json.Serialization;

namespace Sieve.Modeling;

/// <summary>The attention pattern a model was trained or saved with, as a canonical pattern spec (Pattern.ToString()).</summary>
public sealed record BertSieveSettings
{
    /// <summary>The pattern spec; null means dense (full) attention.</summary>
    [JsonPropertyName("attention_pattern")] public string? AttentionPattern { get; init; }
}
