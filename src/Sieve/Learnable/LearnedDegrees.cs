// Report row of learned neighbour degrees (METHODS.md §2.4 step 6): the argmax degree of one layer and head.
namespace Sieve.Learnable;

/// <summary>
/// The hardened degrees of (<paramref name="Layer"/>, <paramref name="Head"/>): one value per head, or one per query
/// position for per-position degrees.
/// </summary>
public sealed record LearnedDegrees(int Layer, int Head, IReadOnlyList<int> Degrees);
