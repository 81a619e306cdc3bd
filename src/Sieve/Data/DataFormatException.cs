// The error a malformed data file raises: it names the file, the 1-based line and what was wrong (DESIGN.md §4).
namespace Sieve.Data;

/// <summary>A data file that cannot be read; <see cref="Exception.Message"/> reads <c>file:line: problem</c>.</summary>
public sealed class DataFormatException : FormatException
{
    public DataFormatException(string filePath, int line, string problem)
        : base($"{filePath}:{line}: {problem}")
    {
        FilePath = filePath;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file the row came from.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number of the malformed row (0 when the problem is the file as a whole).</summary>
    public int Line { get; }

    /// <summary>What was wrong, without the location.</summary>
    public string Problem { get; }
}
