// What a learnable pattern's gates are in training (METHODS.md §4.2 [I]): the straight-through hard mask, or the soft
// relaxation itself (the alternative METHODS.md names; also what finite-difference checks need).
namespace Sieve.Learnable;

/// <summary>How gates are formed in training mode; evaluation always uses deterministic thresholds.</summary>
public enum GateMode
{
    /// <summary>The default: exactly 0/1 forward, the gradient of the Gumbel-sigmoid/softmax relaxation backward.</summary>
    StraightThrough,

    /// <summary>The relaxation's values themselves, in (0, 1): smooth in the logits.</summary>
    Soft,
}
