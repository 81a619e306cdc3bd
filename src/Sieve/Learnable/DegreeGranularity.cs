// Where learned neighbour degrees vary (METHODS.md §2.4 step 1): one degree per layer and head (regular), or one per
// query position too (irregular, the LDPC analogue).
namespace Sieve.Learnable;

/// <summary>Spec values <c>per=head</c> and <c>per=position</c>.</summary>
public enum DegreeGranularity
{
    /// <summary>One degree distribution per layer and head: a band of one width.</summary>
    Head,

    /// <summary>One distribution per layer, head and query position: row i's band has its own width.</summary>
    Position,
}
