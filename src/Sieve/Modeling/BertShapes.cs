// Named BERT shapes for benchmarks with random weights: HF bert-base-uncased's and the built-in MiniLM's
// (sentence-transformers/all-MiniLM-L6-v2) hyper-parameters, so that no checkpoint is needed to time a model.
namespace Sieve.Modeling;

/// <summary>The presets of <c>sieve bench model --preset</c>; every other field keeps <see cref="BertConfig"/>'s default.</summary>
public static class BertShapes
{
    /// <summary>12 layers, hidden 768, 12 heads, intermediate 3072 (BertConfig's defaults are bert-base-uncased's).</summary>
    public static BertConfig BertBase { get; } = new();

    /// <summary>6 layers, hidden 384, 12 heads, intermediate 1536: the built-in <c>minilm</c> model's shape.</summary>
    public static BertConfig MiniLM { get; } = new() { NumHiddenLayers = 6, HiddenSize = 384, NumAttentionHeads = 12, IntermediateSize = 1536 };

    /// <summary>Every preset by name, in the order help lists them.</summary>
    public static IReadOnlyList<(string Name, BertConfig Config)> Presets { get; } = [("bert-base", BertBase), ("minilm", MiniLM)];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static BertConfig? Find(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Config;
}
