// The spec strings of learnable patterns: `learned_diagonal(max_offset=128, level=task+layer)`, `aaa(local=2)`,
// `learned_degree(max_degree=8, per=head)`, each optionally followed by `+ <fixed pattern spec>` (e.g. `+global(1)`).
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// A parsed learnable-pattern spec. Arguments are <c>key=value</c>, all optional, in any order; <see cref="ToString"/>
/// prints every argument in canonical order without spaces, and parses back to an equal spec. Everything after the
/// closing parenthesis and a <c>+</c> is an ordinary pattern spec (<see cref="PatternSpec"/>), the fixed part OR-ed with
/// the gates. Errors are <see cref="SpecException"/>s that point at the column.
/// </summary>
public sealed record LearnableSpec
{
    /// <summary>The family.</summary>
    public LearnableKind Kind { get; init; }

    /// <summary>learned_diagonal: the largest learnable offset (default 128, SparseBERT's mask size).</summary>
    public int MaxOffset { get; init; } = 128;

    /// <summary>learned_diagonal: fixed, task or task+layer (default task+layer, AAA Table 3's best).</summary>
    public DiagonalLevel Level { get; init; } = DiagonalLevel.TaskAndLayer;

    /// <summary>aaa: the width k of the local(k) part that keeps rows non-empty (default 2, AAA §4.2).</summary>
    public int Local { get; init; } = 2;

    /// <summary>learned_degree: the largest candidate degree D_max (default 8, METHODS.md §2.4).</summary>
    public int MaxDegree { get; init; } = 8;

    /// <summary>learned_degree: per head or per position (default head).</summary>
    public DegreeGranularity Per { get; init; } = DegreeGranularity.Head;

    /// <summary>learned_degree per position: how many positions have their own logits (default 512).</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>The ordinary pattern OR-ed with the learned gates, or null.</summary>
    public Pattern? Fixed { get; init; }

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["learned_diagonal", "aaa", "learned_degree"];

    /// <summary>Whether <paramref name="spec"/> starts with a learnable pattern's name (so that a caller can route it here).</summary>
    public static bool IsLearnable(string spec) =>
        spec is not null && Names.Any(n => spec.TrimStart().StartsWith(n + "(", StringComparison.Ordinal));

    /// <summary>Parses a learnable spec; throws <see cref="SpecException"/> naming the column of the problem.</summary>
    public static LearnableSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int at = 0;
        SkipSpaces(spec, ref at);
        int nameStart = at;
        while (at < spec.Length && (char.IsLetter(spec[at]) || spec[at] == '_')) at++;
        string name = spec[nameStart..at];
        var kind = name switch
        {
            "learned_diagonal" => LearnableKind.LearnedDiagonal,
            "aaa" => LearnableKind.Aaa,
            "learned_degree" => LearnableKind.LearnedDegree,
            _ => throw new SpecException(spec, nameStart + 1,
                $"unknown learnable pattern '{name}' at column {nameStart + 1}; expected one of {string.Join(", ", Names)}"),
        };
        SkipSpaces(spec, ref at);
        Expect(spec, ref at, '(', name);
        var result = new LearnableSpec { Kind = kind };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        SkipSpaces(spec, ref at);
        while (at < spec.Length && spec[at] != ')')
        {
            int keyStart = at;
            while (at < spec.Length && (char.IsLetter(spec[at]) || spec[at] == '_')) at++;
            string key = spec[keyStart..at];
            if (key.Length == 0) throw new SpecException(spec, at + 1, $"expected an argument name at column {at + 1} in {name}(...)");
            if (!seen.Add(key)) throw new SpecException(spec, keyStart + 1, $"the argument '{key}' appears twice in {name}(...)");
            SkipSpaces(spec, ref at);
            Expect(spec, ref at, '=', name);
            SkipSpaces(spec, ref at);
            int valueStart = at;
            while (at < spec.Length && spec[at] != ',' && spec[at] != ')' && !char.IsWhiteSpace(spec[at])) at++;
            string value = spec[valueStart..at];
            result = result.With(spec, kind, name, key, value, keyStart + 1, valueStart + 1);
            SkipSpaces(spec, ref at);
            if (at < spec.Length && spec[at] == ',')
            {
                at++;
                SkipSpaces(spec, ref at);
            }
        }
        Expect(spec, ref at, ')', name);
        SkipSpaces(spec, ref at);
        if (at == spec.Length) return result;
        if (spec[at] != '+')
            throw new SpecException(spec, at + 1, $"expected '+' and a fixed pattern or the end after {name}(...) at column {at + 1} but found '{spec[at]}'");
        int fixedStart = at + 1;
        try
        {
            return result with { Fixed = PatternSpec.Parse(spec[fixedStart..]) };
        }
        catch (SpecException inner)
        {
            throw new SpecException(spec, fixedStart + inner.Column, $"in the fixed part after '+': {inner.Problem}");
        }
    }

    /// <summary>The canonical spec: every argument of the family, then <c>+fixed</c> when there is one.</summary>
    public override string ToString()
    {
        string atom = Kind switch
        {
            LearnableKind.LearnedDiagonal => $"learned_diagonal(max_offset={MaxOffset},level={LevelName(Level)})",
            LearnableKind.Aaa => $"aaa(local={Local})",
            _ => Per == DegreeGranularity.Head
                ? $"learned_degree(max_degree={MaxDegree},per=head)"
                : $"learned_degree(max_degree={MaxDegree},per=position,max_length={MaxLength})",
        };
        if (Fixed is null) return atom;
        // The whole remainder parses as one expression, so a fixed part that is a difference needs its parentheses.
        return Fixed is DifferencePattern ? $"{atom}+({Fixed})" : $"{atom}+{Fixed}";
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when the spec asks for more than a model of <paramref name="maxPositions"/>
    /// positions can use. The logits are sized by these arguments, so <c>max_offset=1000000000</c> would otherwise try to
    /// allocate gigabytes before the first step instead of failing at once.
    /// </summary>
    public void CheckFits(int maxPositions)
    {
        (string Key, int Value)? tooLarge = Kind switch
        {
            LearnableKind.LearnedDiagonal when MaxOffset >= maxPositions => ("max_offset", MaxOffset),
            LearnableKind.LearnedDegree when MaxDegree >= maxPositions => ("max_degree", MaxDegree),
            LearnableKind.LearnedDegree when Per == DegreeGranularity.Position && MaxLength > maxPositions => ("max_length", MaxLength),
            _ => null,
        };
        if (tooLarge is { } found)
            throw new ArgumentException($"{this}: {found.Key}={found.Value} is beyond the model's {maxPositions} positions; use at most {maxPositions - (found.Key == "max_length" ? 0 : 1)}.");
    }

    /// <summary>
    /// The module this spec describes for a model of <paramref name="layers"/> layers, <paramref name="heads"/> heads and
    /// hidden size <paramref name="hiddenSize"/> (AAA's linear maps read the hidden states).
    /// </summary>
    public LearnablePattern Build(int layers, int heads, int hiddenSize, GumbelOptions? options = null, Device? device = null, ScalarType? dtype = null) => Kind switch
    {
        LearnableKind.LearnedDiagonal => new LearnedDiagonalPattern(layers, heads, MaxOffset, Level, Fixed, options, device, dtype),
        LearnableKind.Aaa => new AxisAttentionPattern(layers, hiddenSize, Local, Fixed, options, device, dtype),
        _ => new LearnedDegreePattern(layers, heads, MaxDegree, Per, MaxLength, Fixed, options, device, dtype),
    };

    private static string LevelName(DiagonalLevel level) => level switch
    {
        DiagonalLevel.Fixed => "fixed",
        DiagonalLevel.Task => "task",
        _ => "task+layer",
    };

    private LearnableSpec With(string spec, LearnableKind kind, string name, string key, string value, int keyColumn, int valueColumn)
    {
        switch (kind, key)
        {
            case (LearnableKind.LearnedDiagonal, "max_offset"):
                return this with { MaxOffset = Integer(spec, name, key, value, valueColumn, 0) };
            case (LearnableKind.LearnedDiagonal, "level"):
                return this with
                {
                    Level = value switch
                    {
                        "fixed" => DiagonalLevel.Fixed,
                        "task" => DiagonalLevel.Task,
                        "task+layer" => DiagonalLevel.TaskAndLayer,
                        _ => throw new SpecException(spec, valueColumn, $"level must be fixed, task or task+layer, got '{value}' at column {valueColumn}"),
                    },
                };
            case (LearnableKind.Aaa, "local"):
                return this with { Local = Integer(spec, name, key, value, valueColumn, 0) };
            case (LearnableKind.LearnedDegree, "max_degree"):
                return this with { MaxDegree = Integer(spec, name, key, value, valueColumn, 0) };
            case (LearnableKind.LearnedDegree, "max_length"):
                return this with { MaxLength = Integer(spec, name, key, value, valueColumn, 1) };
            case (LearnableKind.LearnedDegree, "per"):
                return this with
                {
                    Per = value switch
                    {
                        "head" => DegreeGranularity.Head,
                        "position" => DegreeGranularity.Position,
                        _ => throw new SpecException(spec, valueColumn, $"per must be head or position, got '{value}' at column {valueColumn}"),
                    },
                };
            default:
                string allowed = kind switch
                {
                    LearnableKind.LearnedDiagonal => "max_offset, level",
                    LearnableKind.Aaa => "local",
                    _ => "max_degree, per, max_length",
                };
                throw new SpecException(spec, keyColumn, $"{name}(...) has no argument '{key}' (column {keyColumn}); it takes {allowed}");
        }
    }

    private static int Integer(string spec, string name, string key, string value, int column, int minimum) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) && number >= minimum
            ? number
            : throw new SpecException(spec, column, $"{name}(...) needs {key} to be an integer >= {minimum}, got '{value}' at column {column}");

    private static void SkipSpaces(string spec, ref int at)
    {
        while (at < spec.Length && char.IsWhiteSpace(spec[at])) at++;
    }

    private static void Expect(string spec, ref int at, char symbol, string name)
    {
        if (at < spec.Length && spec[at] == symbol)
        {
            at++;
            return;
        }
        string found = at < spec.Length ? $"'{spec[at]}'" : "the end of the spec";
        throw new SpecException(spec, at + 1, $"expected '{symbol}' in {name}(...) at column {at + 1} but found {found}");
    }
}
