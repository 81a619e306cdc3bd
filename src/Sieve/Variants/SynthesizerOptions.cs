// Options of Synthesizer attention (Tay et al. 2020; METHODS.md §9): the synthetic kind and the optional mixture.
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>Spec: <c>synthesizer(kind=dense|random|fixed_random|factorized_dense|factorized_random, mix=none|vanilla)</c>.</summary>
public sealed record SynthesizerOptions : VariantOptions
{
    private readonly int _factorRank = 8;

    /// <summary>The synthetic attention. Default dense.</summary>
    public SynthesizerKind Kind { get; init; } = SynthesizerKind.Dense;

    /// <summary>The mixture with vanilla attention. Default none.</summary>
    public SynthesizerMix Mix { get; init; } = SynthesizerMix.None;

    /// <summary>The rank r of Factorized Random (R = R₁R₂ᵀ, R₁, R₂ ∈ ℝ^{ℓ×r}); the paper's 8.</summary>
    public int FactorRank
    {
        get => _factorRank;
        init => _factorRank = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FactorRank), value, $"synthesizer needs a factor rank >= 1, got {value}");
    }

    public override AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null) =>
        new SynthesizerAttention(this, heads, headSize, hiddenSize, maxLength, device, dtype);

    public override string ToString() => $"synthesizer(kind={SpecArguments.SnakeCase(Kind)},mix={SpecArguments.SnakeCase(Mix)})";
}
