// One line of a TSV file split on TAB: its 1-based line number and its fields, verbatim.
namespace Sieve.Data;

/// <summary>A line of a TSV file: 1-based <paramref name="Line"/> and the fields between TABs, quotes kept as they are.</summary>
public sealed record TsvRow(int Line, string[] Fields);
