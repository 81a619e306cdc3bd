// Whether a Synthesizer mixes its synthetic logits with vanilla dot-product logits (Tay et al. 2020 §3.3; METHODS.md §9).
namespace Sieve.Variants;

/// <summary>The mixture partner of the synthetic attention.</summary>
public enum SynthesizerMix
{
    /// <summary>Synthetic attention alone.</summary>
    None,

    /// <summary>softmax(α₁ S + α₂ QKᵀ/√D) with learned weights per head summing to 1.</summary>
    Vanilla,
}
