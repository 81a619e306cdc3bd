// The learnable pattern families (METHODS.md §2.4, §3.3/§4.3, §4.4).
namespace Sieve.Learnable;

/// <summary>Which learnable pattern a <see cref="LearnableSpec"/> names.</summary>
public enum LearnableKind
{
    /// <summary><c>learned_diagonal(...)</c>: SparseBERT's DAM_s, <see cref="LearnedDiagonalPattern"/>.</summary>
    LearnedDiagonal,

    /// <summary><c>aaa(...)</c>: Adaptive Axis Attention, <see cref="AxisAttentionPattern"/>.</summary>
    Aaa,

    /// <summary><c>learned_degree(...)</c>: learned neighbour degrees, <see cref="LearnedDegreePattern"/>.</summary>
    LearnedDegree,
}
