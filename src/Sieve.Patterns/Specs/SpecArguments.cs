// The arguments of one atom of a spec (a pattern, a variant or a learnable pattern), read by name or position as the
// atom's table entry asks for them, with the errors a user can hit (missing, unknown, surplus, wrong type) pointing at
// their column.
using System.Text;

namespace Sieve.Patterns;

/// <summary>The kinds of argument value the spec grammar knows.</summary>
internal enum SpecValueKind
{
    Integer,
    Decimal,
    IntegerList,
    Identifier,
}

/// <summary>One argument value as written: an integer, a number with a fraction, a list of integers or an identifier,
/// and its column. <paramref name="Number"/> is the value of a number of either kind.</summary>
internal sealed record SpecValue(SpecValueKind Kind, long Integer, long[] List, string Text, int Column, double Number = 0);

/// <summary>One argument: its name when written as <c>name=value</c>, else null.</summary>
internal sealed record SpecArgument(string? Name, SpecValue Value, int Column);

/// <summary>
/// Reads an atom's arguments in the order the dispatch asks for them: each request takes the named argument of that name
/// or else the next positional one. <see cref="Finish"/> then rejects what nobody asked for. A probe reader never fails:
/// it answers placeholders (an optional argument's fallback, which the value's own checks accept) so that a first pass
/// learns every name the atom takes, and an unknown name is reported before a missing or mistyped one
/// (<see cref="Read{T}"/> runs both passes).
/// </summary>
public sealed class SpecArguments
{
    private readonly string _spec;
    private readonly string _atom;
    private readonly string _noun;
    private readonly int _atomColumn;
    private readonly int _endColumn;
    private readonly IReadOnlyList<SpecArgument> _arguments;
    private readonly bool _probe;
    private readonly List<string> _requested = [];
    private readonly HashSet<SpecArgument> _used = [];
    private int _nextPositional;

    private SpecArguments(string spec, string noun, SpecToken atom, int endColumn, IReadOnlyList<SpecArgument> arguments, bool probe)
    {
        _spec = spec;
        _noun = noun;
        _atom = atom.Text;
        _atomColumn = atom.Column;
        _endColumn = endColumn;
        _arguments = arguments;
        _probe = probe;
    }

    /// <summary>
    /// Builds the <paramref name="noun"/> <paramref name="atom"/> from its <paramref name="arguments"/>: a probe pass
    /// learns the names it takes and rejects unknown ones, the real pass builds, and an <see cref="ArgumentException"/>
    /// of the built value's own checks becomes a <see cref="SpecException"/> at the atom.
    /// </summary>
    internal static T Read<T>(string spec, string noun, SpecToken atom, int endColumn, IReadOnlyList<SpecArgument> arguments, Func<SpecArguments, T> build)
    {
        var probe = new SpecArguments(spec, noun, atom, endColumn, arguments, probe: true);
        try
        {
            build(probe);
        }
        catch (ArgumentException)
        {
            // The probe's placeholder values may fail validation; the real pass below reports the user's values.
        }
        probe.RejectUnknownNames();
        var reader = new SpecArguments(spec, noun, atom, endColumn, arguments, probe: false);
        T built;
        try
        {
            built = build(reader);
        }
        catch (ArgumentException e)
        {
            throw new SpecException(spec, atom.Column, $"{Clean(e)} ({noun} '{atom.Text}' at column {atom.Column})");
        }
        reader.Finish();
        return built;
    }

    /// <summary>A choice's spec spelling: <c>FixedRandom</c> → <c>fixed_random</c>.</summary>
    public static string SnakeCase<T>(T value)
        where T : struct, Enum
    {
        var text = new StringBuilder();
        foreach (char c in value.ToString())
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    /// <summary>The atom's signature from the arguments asked for so far, e.g. <c>local(k)</c>.</summary>
    public string Signature => _requested.Count == 0 ? _atom : $"{_atom}({string.Join(',', _requested)})";

    /// <summary>Whether a named argument <paramref name="name"/> was written.</summary>
    public bool Has(string name) => _arguments.Any(a => a.Name == name);

    /// <summary>A required integer argument that fits an int.</summary>
    public int Int(string name) => Take(name) is { } value ? ToInt(name, value) : _probe ? 0 : throw Missing(name);

    /// <summary>An optional integer argument.</summary>
    public int Int(string name, int fallback) => Take(name) is { } value && !_probe ? ToInt(name, value) : fallback;

    /// <summary>An optional integer argument that must be at least <paramref name="minimum"/>.</summary>
    public int Int(string name, int fallback, int minimum)
    {
        if (Take(name) is not { } value || _probe) return fallback;
        int number = ToInt(name, value);
        if (number < minimum && !_probe)
            throw Error(value.Column, $"argument {name} of {Signature} must be an integer >= {minimum} at column {value.Column}, got '{value.Text}'");
        return number;
    }

    /// <summary>An optional number, with or without a fraction (<c>alpha=1.5</c>).</summary>
    public double Number(string name, double fallback) =>
        Take(name) is { } value && !_probe ? ToNumber(name, value) : fallback;

    /// <summary>An optional number that may instead be the name <paramref name="keyword"/> (then null), e.g. <c>alpha=learned</c>.</summary>
    public double? NumberOr(string name, string keyword, double fallback)
    {
        if (Take(name) is not { } value || _probe) return fallback;
        return value.Kind == SpecValueKind.Identifier && value.Text == keyword ? null : ToNumber(name, value);
    }

    /// <summary>An optional seed: an integer ≥ 0.</summary>
    public ulong Seed(string name = "seed")
    {
        if (Take(name) is not { } value) return 0;
        long seed = Expect(name, value, SpecValueKind.Integer, "an integer").Integer;
        if (seed < 0 && !_probe) throw Error(value.Column, $"{Signature} needs {name} >= 0, got {seed}");
        return (ulong)seed;
    }

    /// <summary>An optional <c>true</c>/<c>false</c> argument.</summary>
    public bool Bool(string name, bool fallback)
    {
        if (Take(name) is not { } value) return fallback;
        return Expect(name, value, SpecValueKind.Identifier, "true or false").Text switch
        {
            "true" => true,
            "false" => false,
            _ when _probe => fallback,
            _ => throw Error(value.Column, $"argument {name} of {Signature} must be true or false, got '{value.Text}'"),
        };
    }

    /// <summary>An optional list of integers, e.g. <c>rows=[0,5]</c>.</summary>
    public IEnumerable<int> IntList(string name, int[] fallback)
    {
        if (Take(name) is not { } value) return fallback;
        return [.. Expect(name, value, SpecValueKind.IntegerList, "a list like [0,1]").List.Select(v => Narrow(name, v, value.Column))];
    }

    /// <summary>All remaining positional arguments as integers (a variadic tail such as diagonal's offsets).</summary>
    public IEnumerable<int> RestInts(string name)
    {
        _requested.Add($"{name}...");
        var values = new List<int>();
        foreach (var argument in _arguments.Where(a => a.Name is null && !_used.Contains(a)))
        {
            _used.Add(argument);
            values.Add(ToInt(name, argument.Value));
        }
        return values;
    }

    /// <summary>A required identifier argument naming a member of <typeparamref name="T"/> in snake_case.</summary>
    public T Choice<T>(string name)
        where T : struct, Enum =>
        Take(name) is { } value ? ToChoice<T>(name, value, SnakeCase) : _probe ? default : throw Missing(name);

    /// <summary>
    /// An optional identifier argument naming a member of <typeparamref name="T"/> as <paramref name="spell"/> writes it
    /// (default snake_case, e.g. <c>fixed_random</c>).
    /// </summary>
    public T Choice<T>(string name, T fallback, Func<T, string>? spell = null)
        where T : struct, Enum =>
        Take(name) is { } value && !_probe ? ToChoice(name, value, spell ?? SnakeCase) : fallback;

    // Fails on a named argument that the atom does not take (after a probe pass has asked for every name).
    private void RejectUnknownNames()
    {
        foreach (var argument in _arguments)
        {
            if (argument.Name is null || _requested.Contains(argument.Name)) continue;
            string known = _requested.Count == 0 ? "it takes no arguments" : $"it takes {string.Join(", ", _requested)}";
            throw Error(argument.Column, $"unknown argument '{argument.Name}' at column {argument.Column} for {_atom}; {known}");
        }
    }

    // Fails on a named argument nobody asked for, or on surplus positional arguments.
    private void Finish()
    {
        RejectUnknownNames();
        foreach (var argument in _arguments)
        {
            if (_used.Contains(argument)) continue;
            int given = _arguments.Count;
            string takes = _requested.Count == 0 ? "takes no arguments" : $"takes at most {_requested.Count} argument{(_requested.Count == 1 ? "" : "s")} ({string.Join(", ", _requested)})";
            throw Error(argument.Column, $"too many arguments: {_atom} {takes} but got {given}; the extra one is at column {argument.Column}");
        }
    }

    private SpecValue? Take(string name)
    {
        _requested.Add(name);
        var named = _arguments.FirstOrDefault(a => a.Name == name);
        if (named is not null)
        {
            if (_arguments.Count(a => a.Name == name) > 1 && !_probe)
                throw Error(_arguments.Last(a => a.Name == name).Column, $"argument {name} of {_atom} is given twice");
            _used.Add(named);
            return named.Value;
        }
        var positional = _arguments.Where(a => a.Name is null).Skip(_nextPositional).FirstOrDefault();
        if (positional is null) return null;
        _nextPositional++;
        _used.Add(positional);
        return positional.Value;
    }

    // A number with a fraction is not a whole one; anything else is not an integer at all.
    private int ToInt(string name, SpecValue value) =>
        Narrow(name, Expect(name, value, SpecValueKind.Integer, value.Kind == SpecValueKind.Decimal ? "a whole number" : "an integer").Integer, value.Column);

    private double ToNumber(string name, SpecValue value) =>
        value.Kind is SpecValueKind.Integer or SpecValueKind.Decimal ? value.Number : Expect(name, value, SpecValueKind.Decimal, "a number").Number;

    // Spellings compare without case, as names of patterns' choices always have.
    private T ToChoice<T>(string name, SpecValue value, Func<T, string> spell)
        where T : struct, Enum
    {
        string text = Expect(name, value, SpecValueKind.Identifier, "a name").Text;
        foreach (var member in Enum.GetValues<T>())
            if (spell(member).Equals(text, StringComparison.OrdinalIgnoreCase)) return member;
        if (_probe) return default;
        string choices = string.Join(", ", Enum.GetValues<T>().Select(spell));
        throw Error(value.Column, $"argument {name} of {Signature} must be one of {choices}, got '{text}'");
    }

    private int Narrow(string name, long value, int column) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : _probe ? 0 : throw Error(column, $"argument {name} of {Signature} is out of range: {value}");

    private SpecValue Expect(string name, SpecValue value, SpecValueKind kind, string what) =>
        value.Kind == kind ? value : _probe ? value with { Kind = kind, Integer = 0, List = [], Text = "" } : throw Error(value.Column, $"argument {name} of {Signature} must be {what} at column {value.Column}, got '{value.Text}'");

    private SpecException Missing(string name) =>
        Error(_endColumn, $"{Signature} is missing argument {name} ({_noun} '{_atom}' at column {_atomColumn})");

    private SpecException Error(int column, string problem) => new(_spec, column, problem);

    // An argument exception's first line without the " (Parameter 'x')" suffix .NET appends.
    private static string Clean(ArgumentException e)
    {
        string message = e.Message;
        if (e.ParamName is not null)
        {
            int cut = message.IndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }
        return message.Split('\n')[0];
    }
}
