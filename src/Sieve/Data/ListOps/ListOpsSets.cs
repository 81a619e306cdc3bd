// The three generated ListOps sets, as LRA splits them: distinct expressions, train first, then validation, then test.
namespace Sieve.Data.ListOps;

/// <summary>Generated ListOps expressions (each distinct across all three sets) with their targets.</summary>
public sealed record ListOpsSets(IReadOnlyList<ListOpsNode> Train, IReadOnlyList<ListOpsNode> Validation, IReadOnlyList<ListOpsNode> Test);
