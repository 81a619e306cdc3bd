// The error of a malformed line-based input (a data file, a CoNLL-U parse): it names where the input came from, the
// 1-based line and what was wrong (DESIGN.md §4). Each kind of input has its own sealed type that names the source.
namespace Sieve.Patterns;

/// <summary>An input that cannot be read at one line; <see cref="Exception.Message"/> reads <c>source:line: problem</c>.</summary>
public abstract class LineFormatException : FormatException
{
    protected LineFormatException(string source, int line, string problem)
        : base($"{source}:{line}: {problem}")
    {
        Line = line;
        Problem = problem;
    }

    /// <summary>The 1-based line number of the malformed line (0 when the problem is the input as a whole).</summary>
    public int Line { get; }

    /// <summary>What was wrong, without the location.</summary>
    public string Problem { get; }
}
