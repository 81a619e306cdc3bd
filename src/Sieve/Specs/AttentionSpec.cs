// The one spec of what attends (issues 7 and 17), the grammar of every `--pattern` and every experiment row: a fixed
// pattern with its algebra and schedules, an attention variant, a layer schedule mixing the two
// (`layers(0-1: linformer(k=32); *: local(2)+global(1))`), or a learnable pattern (`aaa(local=2)+global(1)`).
using Sieve.Learnable;
using Sieve.Patterns;
using Sieve.Variants;

namespace Sieve.Specs;

/// <summary>
/// A parsed attention spec: per layer either a <see cref="Patterns.Pattern"/> (computed by a kernel) or
/// <see cref="VariantOptions"/> (an attention variant); or a <see cref="LearnableSpec"/> that every layer learns.
/// <code>
/// spec      := learnable | pattern-spec | variant-spec | 'layers' '(' entry (';' entry)* ')'
/// entry     := (int ['-' int] | '*') ':' (pattern-spec | variant-spec)
/// learnable := learnable-name '(' [key '=' value (',' key '=' value)*] ')' ['+' pattern-spec]
/// </code>
/// Variants are whole layers: they cannot be combined with patterns by + &amp; - nor scheduled per head. A learnable
/// pattern covers every layer and comes first, its fixed part after '+'. A spec without variants or learnable patterns
/// is exactly <see cref="PatternSpec.Parse(string)"/>'s. <c>ToString()</c> is canonical and parses back. Every problem is a
/// <see cref="SpecException"/> naming the column; <see cref="Require"/> refuses, with a reason, a form a command cannot run.
/// </summary>
public sealed class AttentionSpec
{
    // A layer whose attention is a variant still gets a layout when other layers have patterns (BatchLayouts builds one
    // per layer); the diagonal is the cheapest one and is never used.
    private static readonly Pattern _unusedLayout = new LocalPattern(0);

    private readonly Entry[] _entries;
    private readonly Entry? _otherwise;

    private AttentionSpec(IEnumerable<Entry> entries, Entry? otherwise)
    {
        _entries = [.. entries.OrderBy(e => e.First)];
        _otherwise = otherwise;
        HasVariants = _entries.Any(e => e.Variant is not null) || otherwise?.Variant is not null;
        Pattern = HasVariants ? PatternOfPatternLayers() : (_otherwise ?? _entries[0]).Pattern;
    }

    private AttentionSpec(LearnableSpec learnable)
    {
        _entries = [];
        Learnable = learnable;
    }

    // The text the spec was parsed from, so that a refusal points into what the user wrote; null when built in code.
    private string? _text;

    private sealed record Entry(int First, int Last, Pattern? Pattern, VariantOptions? Variant)
    {
        public string Body => Variant?.ToString() ?? Pattern!.ToString();

        public string RangeSpec => First < 0 ? "*" : First == Last ? $"{First}" : $"{First}-{Last}";
    }

    /// <summary>Whether some layer attends with a variant.</summary>
    public bool HasVariants { get; }

    /// <summary>The learnable pattern every layer learns (then <see cref="Pattern"/> is null and no layer has a variant), or null.</summary>
    public LearnableSpec? Learnable { get; }

    /// <summary>The forms the spec uses: what a command checks with <see cref="Require"/>.</summary>
    public SpecForms Forms =>
        Learnable is not null ? SpecForms.Learnable : (Pattern is not null ? SpecForms.Pattern : 0) | (HasVariants ? SpecForms.Variant : 0);

    /// <summary>
    /// Returns this spec when it uses only forms in <paramref name="accepted"/>; otherwise throws a
    /// <see cref="SpecException"/> saying that <paramref name="command"/> does not take the first other form it uses and
    /// why, followed by <paramref name="instead"/> (what to do instead), when given.
    /// </summary>
    public AttentionSpec Require(string command, SpecForms accepted, string? instead = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        string text = _text ?? ToString();
        string tail = instead is null ? "" : $"; {instead}";
        if (Learnable is { } learnable && !accepted.HasFlag(SpecForms.Learnable))
            throw new SpecException(text, ColumnOf(text, NameOf(learnable.ToString(), LearnableSpec.Names)),
                $"{command} does not take the learnable pattern {learnable}: it has no layout until fine-tuning has trained its gates{tail}");
        if (HasVariants && !accepted.HasFlag(SpecForms.Variant))
        {
            var variant = _entries.Select(e => e.Variant).Append(_otherwise?.Variant).First(v => v is not null)!;
            throw new SpecException(text, ColumnOf(text, NameOf(variant.ToString()!, VariantSpec.Names)),
                $"{command} does not take the attention variant {variant}: a variant is a layer with its own weights, not a pattern of allowed keys{tail}");
        }
        if (Forms.HasFlag(SpecForms.Pattern) && !accepted.HasFlag(SpecForms.Pattern))
            throw new SpecException(text, 1, $"{command} does not take the fixed pattern {this}{tail}");
        return this;
    }

    /// <summary>The pattern of a spec that <see cref="Require"/>s fixed patterns only, for commands that work on layouts.</summary>
    public Pattern RequirePattern(string command, string? instead = null) => Require(command, SpecForms.Pattern, instead).Pattern!;

    /// <summary>
    /// The pattern to run on the layers without a variant (variant layers get a placeholder layout that is never
    /// used), or null when every layer has a variant. Without variants this is the parsed pattern itself.
    /// </summary>
    public Pattern? Pattern { get; }

    /// <summary>A spec of one pattern for every layer.</summary>
    public static AttentionSpec Of(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return new AttentionSpec([], new Entry(-1, -1, pattern, null));
    }

    /// <summary>A spec of a learnable pattern that every layer learns.</summary>
    public static AttentionSpec Of(LearnableSpec learnable)
    {
        ArgumentNullException.ThrowIfNull(learnable);
        return new AttentionSpec(learnable);
    }

    /// <summary>
    /// The spec of layers that have <paramref name="variants"/>[l] (null: none) and otherwise run
    /// <paramref name="pattern"/> (null: dense, printed as <c>full</c>); consecutive equal layers share one range.
    /// </summary>
    public static AttentionSpec FromLayers(IReadOnlyList<VariantOptions?> variants, Pattern? pattern)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var entries = new List<Entry>();
        for (int l = 0; l < variants.Count; l++)
        {
            if (variants[l] is not { } options) continue;
            if (entries.Count > 0 && entries[^1].Last == l - 1 && Equals(entries[^1].Variant, options))
                entries[^1] = entries[^1] with { Last = l };
            else
                entries.Add(new Entry(l, l, null, options));
        }
        bool allVariants = variants.Count > 0 && variants.All(v => v is not null);
        if (entries.Count == 0) return Of(pattern ?? new FullPattern());
        Entry? otherwise = allVariants ? null : new Entry(-1, -1, pattern ?? new FullPattern(), null);
        if (allVariants && entries.Count == 1) return new AttentionSpec([], entries[0] with { First = -1, Last = -1 });
        return new AttentionSpec(entries, otherwise);
    }

    /// <summary>The variant of every layer when one variant alone makes up the spec, else null.</summary>
    public VariantOptions? Variant => _entries.Length == 0 ? _otherwise?.Variant : null;

    /// <summary>The variant of <paramref name="layer"/>, or null when the layer runs <see cref="Pattern"/>.</summary>
    public VariantOptions? VariantFor(int layer) => Select(layer)?.Variant;

    /// <summary>Throws <see cref="ArgumentException"/> when one of the encoder's <paramref name="layers"/> is covered by no entry.</summary>
    public void Validate(int layers)
    {
        if (Learnable is not null) return;
        for (int l = 0; l < layers; l++)
            if (Select(l) is null)
                throw new ArgumentException($"the attention spec {this} has no entry for layer {l} of {layers}; add a range covering it or a '*: ...' entry.");
    }

    /// <summary>Parses <paramref name="spec"/>, any form; throws <see cref="SpecException"/> naming the column of a problem.</summary>
    public static AttentionSpec Parse(string spec)
    {
        var parsed = ParseText(spec);
        parsed._text = spec;
        return parsed;
    }

    private static AttentionSpec ParseText(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string trimmed = spec.Trim();
        if (LearnableSpec.IsLearnable(spec)) return new AttentionSpec(LearnableSpec.Parse(spec));
        if (LeadingName(trimmed) is { } name && VariantSpec.Names.Contains(name))
            return new AttentionSpec([], new Entry(-1, -1, null, VariantSpec.Parse(trimmed)));
        if (SplitLayers(spec) is { } parts && parts.Any(p => LeadingName(p.Body.Trim()) is { } n && VariantSpec.Names.Contains(n)))
            return FromParts(spec, parts);
        try
        {
            return Of(PatternSpec.Parse(spec, _otherNames));
        }
        catch (SpecException e) when (VariantSpec.Names.FirstOrDefault(v => ContainsName(spec, v)) is { } variant)
        {
            throw new SpecException(spec, spec.IndexOf(variant, StringComparison.Ordinal) + 1,
                $"the attention variant '{variant}' cannot be combined with patterns or scheduled per head ({e.Problem}); give it alone, or per layer: layers(0-5: {variant}(...); *: local(2))");
        }
        catch (SpecException e) when (LearnableSpec.Names.FirstOrDefault(v => ContainsName(spec, v)) is { } learnable)
        {
            throw new SpecException(spec, spec.IndexOf(learnable, StringComparison.Ordinal) + 1,
                $"the learnable pattern '{learnable}' learns every layer and head and must come first ({e.Problem}); write {learnable}(...) alone or followed by '+' and a fixed pattern, e.g. {learnable}(...)+global(1)");
        }
    }

    // The names of the other forms, so that a misspelt variant or learnable pattern gets a "did you mean" too.
    private static readonly IReadOnlyList<string> _otherNames = [.. VariantSpec.Names, .. LearnableSpec.Names];

    // The name a canonical spec starts with (the longest known one, so that sparse_transformer is not sparsemax's prefix).
    private static string NameOf(string canonical, IEnumerable<string> names) =>
        names.Where(n => canonical.StartsWith(n, StringComparison.Ordinal)).OrderByDescending(n => n.Length).FirstOrDefault() ?? canonical;

    private static int ColumnOf(string text, string name) => ContainsName(text, name) ? text.IndexOf(name, StringComparison.Ordinal) + 1 : 1;

    public override string ToString()
    {
        if (Learnable is not null) return Learnable.ToString();
        if (_entries.Length == 0) return _otherwise!.Body;
        var parts = _entries.Select(e => $"{e.RangeSpec}:{e.Body}");
        if (_otherwise is not null) parts = parts.Append($"*:{_otherwise.Body}");
        return $"layers({string.Join(';', parts)})";
    }

    public override bool Equals(object? obj) => obj is AttentionSpec other && other.ToString() == ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private Entry? Select(int layer) => _entries.FirstOrDefault(e => layer >= e.First && layer <= e.Last) ?? _otherwise;

    private Pattern? PatternOfPatternLayers()
    {
        if (_entries.All(e => e.Pattern is null) && _otherwise?.Pattern is null) return null;
        var ranges = _entries.Select(e => new ScheduleEntry(e.First, e.Last, e.Pattern ?? _unusedLayout));
        var otherwise = _otherwise is null ? null : _otherwise.Pattern ?? _unusedLayout;
        return new SchedulePattern(ScheduleAxis.Layers, ranges, otherwise);
    }

    private static AttentionSpec FromParts(string spec, List<(string Selector, string Body, int Column)> parts)
    {
        var entries = new List<Entry>();
        Entry? otherwise = null;
        foreach (var (selector, body, column) in parts)
        {
            Pattern? pattern = null;
            VariantOptions? variant = null;
            int bodyColumn = column + selector.Length + 1;
            if (LearnableSpec.IsLearnable(body))
                throw new SpecException(spec, bodyColumn, $"in the layers entry at column {column}: a learnable pattern learns every layer and cannot be one layer's entry; give it alone, e.g. {body.Trim()}");
            try
            {
                if (LeadingName(body.Trim()) is { } n && VariantSpec.Names.Contains(n)) variant = VariantSpec.Parse(body);
                else pattern = PatternSpec.Parse(body);
            }
            catch (SpecException e)
            {
                throw new SpecException(spec, bodyColumn, $"in the layers entry at column {column}: {e.Problem}");
            }
            string range = selector.Trim();
            if (range == "*")
            {
                if (otherwise is not null) throw new SpecException(spec, column, $"layers(...) has a second '*' entry at column {column}; keep one");
                otherwise = new Entry(-1, -1, pattern, variant);
                continue;
            }
            var (first, last) = Range(spec, range, column);
            if (entries.FirstOrDefault(e => first <= e.Last && e.First <= last) is { } overlap)
                throw new SpecException(spec, column, $"layers(...) range {range} at column {column} overlaps the earlier range {overlap.RangeSpec}");
            entries.Add(new Entry(first, last, pattern, variant));
        }
        return new AttentionSpec(entries, otherwise);
    }

    private static (int First, int Last) Range(string spec, string range, int column)
    {
        var bounds = range.Split('-');
        if (bounds.Length is 1 or 2 && bounds.All(b => int.TryParse(b.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            int first = int.Parse(bounds[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            int last = int.Parse(bounds[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (last < first) throw new SpecException(spec, column, $"layers(...) range {range} at column {column} is reversed; write {last}-{first}");
            return (first, last);
        }
        throw new SpecException(spec, column, $"expected a layer index, a range like 0-5 or '*' at column {column} but found '{range}'");
    }

    // The entries of a top-level `layers( ... )` as (selector, body, 1-based column of the selector), or null when the
    // spec is not one layer schedule. Splits at ';' and the first ':' outside parentheses.
    private static List<(string Selector, string Body, int Column)>? SplitLayers(string spec)
    {
        int open = spec.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || spec[..open].Trim() != "layers" || !spec.TrimEnd().EndsWith(')')) return null;
        int close = spec.TrimEnd().Length - 1;
        var parts = new List<(string, string, int)>();
        int depth = 0, start = open + 1;
        for (int i = open + 1; i <= close; i++)
        {
            char c = spec[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && i != close)
            {
                if (depth == 0) return null;   // `layers(...)+x`: not one schedule
                depth--;
            }
            else if ((c == ';' && depth == 0) || i == close)
            {
                string entry = spec[start..i];
                int colon = entry.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) return null;   // let the pattern grammar report it
                parts.Add((entry[..colon], entry[(colon + 1)..], start + 1 + (entry.Length - entry.TrimStart().Length)));
                start = i + 1;
            }
        }
        return depth == 0 ? parts : null;
    }

    private static string? LeadingName(string text)
    {
        int end = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
        return end > 0 ? text[..end] : null;
    }

    private static bool ContainsName(string spec, string name)
    {
        for (int at = spec.IndexOf(name, StringComparison.Ordinal); at >= 0; at = spec.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            bool before = at == 0 || !(char.IsAsciiLetterOrDigit(spec[at - 1]) || spec[at - 1] == '_');
            int after = at + name.Length;
            bool end = after == spec.Length || !(char.IsAsciiLetterOrDigit(spec[after]) || spec[after] == '_');
            if (before && end) return true;
        }
        return false;
    }
}
