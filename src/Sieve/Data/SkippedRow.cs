// A row left out under MalformedRowPolicy.Skip, kept so that `sieve data inspect` can say what was dropped and why.
namespace Sieve.Data;

/// <summary>A malformed row that was skipped: its file, 1-based line and the reason.</summary>
public sealed record SkippedRow(string FilePath, int Line, string Reason);
