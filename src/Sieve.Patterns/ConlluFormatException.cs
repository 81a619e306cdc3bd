// The error a malformed CoNLL-U input raises: it names the source, the 1-based line and what was wrong.
namespace Sieve.Patterns;

/// <summary>A CoNLL-U input that cannot be read; <see cref="Exception.Message"/> reads <c>source:line: problem</c>.</summary>
public sealed class ConlluFormatException(string sourceName, int line, string problem)
    : LineFormatException(sourceName, line, problem)
{
    /// <summary>The file name (or the stand-in given to the parser, <c>&lt;text&gt;</c> by default) the input came from.</summary>
    public string SourceName { get; } = sourceName;
}
