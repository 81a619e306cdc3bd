// The synthetic attention of a Synthesizer (Tay et al. 2020 §3; METHODS.md §9).
namespace Sieve.Variants;

/// <summary>How a Synthesizer makes its attention logits without a query-key product.</summary>
public enum SynthesizerKind
{
    /// <summary>Per token, W₂ ReLU(W₁ x + b₁) + b₂ ∈ ℝ^ℓ per head.</summary>
    Dense,

    /// <summary>A trainable ℓ×ℓ matrix per head, independent of the input.</summary>
    Random,

    /// <summary>A frozen random ℓ×ℓ matrix per head.</summary>
    FixedRandom,

    /// <summary>Two dense maps to a and b values (a·b = ℓ), tiled and multiplied.</summary>
    FactorizedDense,

    /// <summary>R = R₁ R₂ᵀ with R₁, R₂ ∈ ℝ^{ℓ×r} per head.</summary>
    FactorizedRandom,
}
