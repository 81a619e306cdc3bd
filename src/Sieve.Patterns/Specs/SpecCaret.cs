// The two lines under a spec error: the spec and a caret under the offending column. A hostile or generated spec can be
// thousands of characters long, so a long one is clipped to a window around the column rather than echoed whole.
namespace Sieve.Patterns;

/// <summary>Formats a spec with a caret under one column, clipped around it when the spec is long.</summary>
public static class SpecCaret
{
    private const int Window = 60;

    /// <summary>The spec (clipped to ±60 characters around <paramref name="column"/>) and a caret line, each indented.</summary>
    public static string Format(string spec, int column)
    {
        int at = Math.Clamp(column - 1, 0, spec.Length);
        int from = Math.Max(0, at - Window);
        int to = Math.Min(spec.Length, at + Window);
        string prefix = from > 0 ? "…" : "";
        string suffix = to < spec.Length ? "…" : "";
        string shown = prefix + spec[from..to] + suffix;
        return $"  {shown}\n  {new string(' ', prefix.Length + at - from)}^";
    }
}
