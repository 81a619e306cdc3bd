// The error of a malformed or refused spec (patterns, variants, learnable patterns, sublayer orders): what was wrong,
// the spec, and the 1-based column it points at (DESIGN.md §4). The one exception type of the spec grammar.
namespace Sieve.Patterns;

/// <summary>
/// Thrown by <see cref="PatternSpec.Parse(string)"/> and every other spec parser. <see cref="Exception.Message"/> holds the problem, then the spec with a
/// caret under <see cref="Column"/>; <see cref="Problem"/> is the one-line reason alone.
/// </summary>
public sealed class SpecException : FormatException
{
    public SpecException(string spec, int column, string problem)
        : base($"{problem}\n{SpecCaret.Format(spec, column)}")
    {
        Spec = spec;
        Column = column;
        Problem = problem;
    }

    /// <summary>The spec that failed to parse.</summary>
    public string Spec { get; }

    /// <summary>The 1-based column of the offending character (one past the end for an unexpected end).</summary>
    public int Column { get; }

    /// <summary>What was wrong, e.g. <c>expected ')' at column 9 but found ','</c>.</summary>
    public string Problem { get; }
}
