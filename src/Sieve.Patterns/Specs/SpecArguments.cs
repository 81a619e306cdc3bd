// The arguments of one atom of a pattern spec, read by name or position as the dispatch table asks for them, with the
// errors a user can hit (missing, unknown, surplus, wrong type) pointing at their column.
namespace Sieve.Patterns;

/// <summary>The kinds of argument value the spec grammar knows.</summary>
internal enum SpecValueKind
{
    Integer,
    IntegerList,
    Identifier,
}

/// <summary>One argument value as written: an integer, a list of integers or an identifier, and its column.</summary>
internal sealed record SpecValue(SpecValueKind Kind, long Integer, long[] List, string Text, int Column);

/// <summary>One argument: its name when written as <c>name=value</c>, else null.</summary>
internal sealed record SpecArgument(string? Name, SpecValue Value, int Column);

/// <summary>
/// Reads an atom's arguments in the order the dispatch asks for them: each request takes the named argument of that name
/// or else the next positional one. <see cref="Finish"/> then rejects what nobody asked for. A probe reader
/// (<paramref name="probe"/>) never fails: it answers placeholders so that a first pass learns every name the atom takes,
/// and an unknown name is reported before a missing or mistyped one.
/// </summary>
internal sealed class SpecArguments(string spec, string atom, int atomColumn, int endColumn, IReadOnlyList<SpecArgument> arguments, bool probe = false)
{
    private readonly List<string> _requested = [];
    private readonly HashSet<SpecArgument> _used = [];
    private int _nextPositional;

    /// <summary>The atom's signature from the arguments asked for so far, e.g. <c>local(k)</c>.</summary>
    public string Signature => _requested.Count == 0 ? atom : $"{atom}({string.Join(',', _requested)})";

    /// <summary>Whether a named argument <paramref name="name"/> was written.</summary>
    public bool Has(string name) => arguments.Any(a => a.Name == name);

    /// <summary>A required integer argument that fits an int.</summary>
    public int Int(string name) => Take(name) is { } value ? ToInt(name, value) : probe ? 0 : throw Missing(name);

    /// <summary>An optional integer argument.</summary>
    public int Int(string name, int fallback) => Take(name) is { } value ? ToInt(name, value) : fallback;

    /// <summary>An optional seed: an integer ≥ 0.</summary>
    public ulong Seed(string name = "seed")
    {
        if (Take(name) is not { } value) return 0;
        long seed = Expect(name, value, SpecValueKind.Integer, "an integer").Integer;
        if (seed < 0 && !probe) throw Error(value.Column, $"{Signature} needs {name} >= 0, got {seed}");
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
            _ when probe => fallback,
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
        foreach (var argument in arguments.Where(a => a.Name is null && !_used.Contains(a)))
        {
            _used.Add(argument);
            values.Add(ToInt(name, argument.Value));
        }
        return values;
    }

    /// <summary>A required identifier argument naming a member of <typeparamref name="T"/> in lower case.</summary>
    public T Choice<T>(string name)
        where T : struct, Enum
    {
        if (Take(name) is not { } value) return probe ? default : throw Missing(name);
        string text = Expect(name, value, SpecValueKind.Identifier, "a name").Text;
        foreach (var member in Enum.GetValues<T>())
            if (member.ToString().Equals(text, StringComparison.OrdinalIgnoreCase)) return member;
        if (probe) return default;
        string choices = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
        throw Error(value.Column, $"argument {name} of {Signature} must be one of {choices}, got '{text}'");
    }

    /// <summary>Fails on a named argument that the atom does not take (after a probe pass has asked for every name).</summary>
    public void RejectUnknownNames()
    {
        foreach (var argument in arguments)
        {
            if (argument.Name is null || _requested.Contains(argument.Name)) continue;
            string known = _requested.Count == 0 ? "it takes no arguments" : $"it takes {string.Join(", ", _requested)}";
            throw Error(argument.Column, $"unknown argument '{argument.Name}' at column {argument.Column} for {atom}; {known}");
        }
    }

    /// <summary>Fails on a named argument nobody asked for, or on surplus positional arguments.</summary>
    public void Finish()
    {
        RejectUnknownNames();
        foreach (var argument in arguments)
        {
            if (_used.Contains(argument)) continue;
            int given = arguments.Count;
            string takes = _requested.Count == 0 ? "takes no arguments" : $"takes at most {_requested.Count} argument{(_requested.Count == 1 ? "" : "s")} ({string.Join(", ", _requested)})";
            throw Error(argument.Column, $"{atom} {takes} but got {given}; the extra one is at column {argument.Column}");
        }
    }

    private SpecValue? Take(string name)
    {
        _requested.Add(name);
        var named = arguments.FirstOrDefault(a => a.Name == name);
        if (named is not null)
        {
            if (arguments.Count(a => a.Name == name) > 1 && !probe)
                throw Error(arguments.Last(a => a.Name == name).Column, $"argument {name} of {atom} is given twice");
            _used.Add(named);
            return named.Value;
        }
        var positional = arguments.Where(a => a.Name is null).Skip(_nextPositional).FirstOrDefault();
        if (positional is null) return null;
        _nextPositional++;
        _used.Add(positional);
        return positional.Value;
    }

    private int ToInt(string name, SpecValue value) =>
        Narrow(name, Expect(name, value, SpecValueKind.Integer, "an integer").Integer, value.Column);

    private int Narrow(string name, long value, int column) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : probe ? 0 : throw Error(column, $"argument {name} of {Signature} is out of range: {value}");

    private SpecValue Expect(string name, SpecValue value, SpecValueKind kind, string what) =>
        value.Kind == kind ? value : probe ? value with { Kind = kind, Integer = 0, List = [], Text = "" } : throw Error(value.Column, $"argument {name} of {Signature} must be {what} at column {value.Column}, got '{value.Text}'");

    private SpecException Missing(string name) =>
        Error(endColumn, $"{Signature} is missing argument {name} (pattern '{atom}' at column {atomColumn})");

    private SpecException Error(int column, string problem) => new(spec, column, problem);
}
