// The form of the sparsity term added to the task loss when training to a target ρ.
namespace Sieve.Learnable;

/// <summary>How the distance between ρ and ρ_target is penalised.</summary>
public enum SparsityPenalty
{
    /// <summary>
    /// AAA Eq. 10, α·max(0, ρ_target − ρ): ρ is pushed up to the target and left alone above it. The target is where
    /// training settles only when the task itself pulls towards denser attention, as a pre-trained model does.
    /// </summary>
    Hinge,

    /// <summary>
    /// α·|ρ_target − ρ| (Sieve's option, not in the papers): ρ is pulled to the target from both sides, so a task that
    /// is indifferent to the pattern, or prefers it sparser, still ends at the target rather than anywhere above it.
    /// </summary>
    TwoSided,
}
