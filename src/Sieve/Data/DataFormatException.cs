// The error a malformed data file raises: it names the file, the 1-based line and what was wrong (DESIGN.md §4).
using Sieve.Patterns;

namespace Sieve.Data;

/// <summary>A data file that cannot be read; <see cref="Exception.Message"/> reads <c>file:line: problem</c>.</summary>
public sealed class DataFormatException(string filePath, int line, string problem)
    : LineFormatException(filePath, line, problem)
{
    /// <summary>The file the row came from.</summary>
    public string FilePath { get; } = filePath;
}
