// The three levels of adaptiveness of the learned diagonal (AAA Table 3, METHODS.md §4.3).
namespace Sieve.Learnable;

/// <summary>How much of the learned diagonal adapts; spec values <c>fixed</c>, <c>task</c>, <c>task+layer</c>.</summary>
public enum DiagonalLevel
{
    /// <summary>A learned mask loaded (from a state dict) and frozen: no noise, no gradient.</summary>
    Fixed,

    /// <summary>One set of per-head offset logits learned during fine-tuning, shared by all layers (SparseBERT's DAM_s).</summary>
    Task,

    /// <summary>One set of per-head offset logits per layer.</summary>
    TaskAndLayer,
}
