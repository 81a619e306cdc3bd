// The error of a malformed variant spec: what was wrong, the spec, and the 1-based column it points at, as
// PatternSpecException does for patterns (DESIGN.md §4).
namespace Sieve.Variants;

/// <summary>Thrown by <see cref="VariantSpec.Parse"/> and <see cref="SublayerOrder.Parse"/>; the message ends with the spec and a caret.</summary>
public sealed class VariantSpecException : FormatException
{
    public VariantSpecException(string spec, int column, string problem)
        : base($"{problem}\n{Sieve.Patterns.SpecCaret.Format(spec, column)}")
    {
        Spec = spec;
        Column = column;
        Problem = problem;
    }

    /// <summary>The spec that failed to parse.</summary>
    public string Spec { get; }

    /// <summary>The 1-based column of the offending character (one past the end for an unexpected end).</summary>
    public int Column { get; }

    /// <summary>What was wrong, in one line.</summary>
    public string Problem { get; }
}
