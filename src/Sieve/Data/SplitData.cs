// The examples of one split as read from one file, with the rows that were skipped (MalformedRowPolicy.Skip).
namespace Sieve.Data;

/// <summary>One split of a task read from <see cref="FilePath"/>.</summary>
public sealed record SplitData(DataSplit Split, string FilePath, IReadOnlyList<Example> Examples, IReadOnlyList<SkippedRow> Skipped)
{
    /// <summary>Whether the examples carry labels or scores (GLUE test files do not).</summary>
    public bool IsLabelled => Examples.Count > 0 && (Examples[0].Label is not null || Examples[0].Score is not null);
}
