// What `sieve data inspect` reports about one split: size, label distribution, length percentiles and skipped rows.
namespace Sieve.Data;

/// <summary>The inspection of one split file.</summary>
/// <param name="Split">The split's file-style name: <c>train</c>, <c>dev</c>, <c>dev_mismatched</c>, <c>test</c>, <c>test_mismatched</c>.</param>
/// <param name="FilePath">The file read.</param>
/// <param name="Examples">Examples read (skipped rows not counted).</param>
/// <param name="Labels">Examples per label name in class order (regression: per unit score bin, <c>[0,1)</c> … <c>[4,5]</c>);
/// empty for unlabelled test files.</param>
/// <param name="Lengths">Token-length percentiles, null when the split is empty.</param>
/// <param name="Skipped">Rows left out and why (only under <see cref="MalformedRowPolicy.Skip"/>).</param>
public sealed record SplitReport(
    string Split,
    string FilePath,
    int Examples,
    IReadOnlyList<KeyValuePair<string, int>> Labels,
    LengthSummary? Lengths,
    IReadOnlyList<SkippedRow> Skipped);
