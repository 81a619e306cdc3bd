// One atom `name(arg, key=value, …)` at the start of a spec, for the forms the pattern grammar does not know (attention
// variants, learnable patterns): they read it with the same tokens, argument reader and errors as a pattern's atom.
namespace Sieve.Patterns;

/// <summary>
/// The atom a spec starts with, the scanner standing after its name: the name first, so that the caller can refuse an unknown one before any argument is
/// read, then <see cref="Build{T}"/> reads the argument list through <see cref="SpecArguments"/> and leaves the scanner
/// after it, where <see cref="NextIs"/>, <see cref="NextColumn"/> and <see cref="AtEnd"/> say what follows.
/// </summary>
public sealed class SpecAtom
{
    private readonly SpecScanner _scanner;
    private readonly SpecToken _name;

    private SpecAtom(string spec)
    {
        _scanner = new SpecScanner(spec);
        _name = _scanner.Current;
        if (_name.Kind == SpecTokenKind.Name) _scanner.Position = 1;
    }

    /// <summary>Tokenizes <paramref name="spec"/> (a bad character is a <see cref="SpecException"/>) and stands after its leading name.</summary>
    public static SpecAtom Start(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new SpecAtom(spec);
    }

    /// <summary>The spec's first token when it is a name, else null.</summary>
    public string? Name => _name.Kind == SpecTokenKind.Name ? _name.Text : null;

    /// <summary>The 1-based column of the first token.</summary>
    public int Column => _name.Column;

    /// <summary>Whether the spec is empty or only whitespace.</summary>
    public bool IsEmpty => _scanner.IsEmpty;

    /// <summary>Whether the scanner stands at the end of the spec.</summary>
    public bool AtEnd => _scanner.Current.Kind == SpecTokenKind.End;

    /// <summary>The 1-based column of the token the scanner stands at (one past the end at the end).</summary>
    public int NextColumn => _scanner.Current.Column;

    /// <summary>The token the scanner stands at, as an error message names it (<c>'x'</c> or "the end of the spec").</summary>
    public string Next => _scanner.Current.Describe;

    /// <summary>Whether the scanner stands at <paramref name="symbol"/>.</summary>
    public bool NextIs(char symbol) => _scanner.Current.Is(symbol);

    /// <summary>Fails unless the scanner stands at <paramref name="symbol"/>; then steps over it.</summary>
    public void Expect(char symbol) => _scanner.Expect(symbol);

    /// <summary>
    /// Reads the arguments after the name (none when no '(' follows) and builds the <paramref name="noun"/> from them, as
    /// a pattern's atom is built: unknown, duplicate, surplus, missing and mistyped arguments, and an
    /// <see cref="ArgumentException"/> of the value's own checks, are <see cref="SpecException"/>s at their column.
    /// </summary>
    public T Build<T>(string noun, Func<SpecArguments, T> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (Name is null) throw new InvalidOperationException("the spec does not start with a name");
        var (arguments, end) = _scanner.ArgumentList(_name);
        return SpecArguments.Read(_scanner.Spec, noun, _name, end, arguments, build);
    }
}
