// The error a malformed CoNLL-U input raises: it names the source, the 1-based line and what was wrong.
namespace Sieve.Patterns;

/// <summary>A CoNLL-U input that cannot be read; <see cref="Exception.Message"/> reads <c>source:line: problem</c>.</summary>
public sealed class ConlluFormatException : FormatException
{
    public ConlluFormatException(string sourceName, int line, string problem)
        : base($"{sourceName}:{line}: {problem}")
    {
        SourceName = sourceName;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file name (or the stand-in given to the parser, <c>&lt;text&gt;</c> by default) the input came from.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line number of the malformed line.</summary>
    public int Line { get; }

    /// <summary>What was wrong, without the location.</summary>
    public string Problem { get; }
}
