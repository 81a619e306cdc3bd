// The spec strings of learnable patterns: `learned_diagonal(max_offset=128, level=task+layer)`, `aaa(local=2)`,
// `learned_degree(max_degree=8, per=head)`, each optionally followed by `+ <fixed pattern spec>` (e.g. `+global(1)`).
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// A parsed learnable-pattern spec: an atom of the pattern grammar, read by <see cref="SpecAtom"/> as a pattern's atom is.
/// Arguments are all optional, <c>key=value</c> in any order or positional in the order of the canonical form (which,
/// like every record here, is also the options record the module is built from); <see cref="ToString"/>
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

    // The defaults each form falls back to, and the one table of forms: a learnable pattern is an atom of the pattern
    // grammar (SpecAtom), its arguments read and refused exactly as a pattern's are.
    private static readonly LearnableSpec _defaults = new();

    private static readonly Dictionary<string, Func<SpecArguments, LearnableSpec>> _forms = new(StringComparer.Ordinal)
    {
        ["learned_diagonal"] = a => new LearnableSpec
        {
            Kind = LearnableKind.LearnedDiagonal,
            MaxOffset = a.Int("max_offset", _defaults.MaxOffset, minimum: 0),
            Level = a.Choice("level", _defaults.Level, LevelName),
        },
        ["aaa"] = a => new LearnableSpec { Kind = LearnableKind.Aaa, Local = a.Int("local", _defaults.Local, minimum: 0) },
        ["learned_degree"] = a => new LearnableSpec
        {
            Kind = LearnableKind.LearnedDegree,
            MaxDegree = a.Int("max_degree", _defaults.MaxDegree, minimum: 0),
            Per = a.Choice("per", _defaults.Per),
            MaxLength = a.Int("max_length", _defaults.MaxLength, minimum: 1),
        },
    };

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. _forms.Keys];

    /// <summary>Whether <paramref name="spec"/> starts with a learnable pattern's name (so that a caller can route it here).</summary>
    public static bool IsLearnable(string spec) =>
        spec is not null && Names.Any(n => spec.TrimStart().StartsWith(n + "(", StringComparison.Ordinal));

    /// <summary>Parses a learnable spec; throws <see cref="SpecException"/> naming the column of the problem.</summary>
    public static LearnableSpec Parse(string spec)
    {
        var atom = SpecAtom.Start(spec);
        string name = atom.Name ?? "";
        if (!_forms.TryGetValue(name, out var build))
        {
            string hint = SpecSuggestion.Closest(name, Names) is { } best ? $"did you mean '{best}'?" : $"expected one of {string.Join(", ", Names)}";
            throw new SpecException(spec, atom.Column, $"unknown learnable pattern '{name}' at column {atom.Column}; {hint}");
        }
        if (!atom.NextIs('('))
            throw new SpecException(spec, atom.NextColumn, $"expected '(' in {name}(...) at column {atom.NextColumn} but found {atom.Next}");
        var result = atom.Build("learnable pattern", build);
        if (atom.AtEnd) return result;
        if (!atom.NextIs('+'))
            throw new SpecException(spec, atom.NextColumn, $"expected '+' and a fixed pattern or the end after {name}(...) at column {atom.NextColumn} but found {atom.Next}");
        int fixedStart = atom.NextColumn;
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
}
