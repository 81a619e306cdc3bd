// Which layers of a cell are sparse: `all`, or named layer ranges whose other layers stay dense — Breaking BERT's
// later-layers sparsity (METHODS.md §2.2), written as the Sieve.Patterns schedule `layers(6-11: P; *: full)`.
using System.Globalization;
using Sieve.Patterns;
using Sieve.Specs;

namespace Sieve.Experiments;

/// <summary>A named set of layers that get the cell's pattern; every other layer keeps full attention.</summary>
public sealed class LayerSet
{
    /// <summary>The set that applies the pattern to every layer, as written.</summary>
    public static LayerSet All { get; } = new("all", []);

    /// <summary>A set named <paramref name="name"/> covering <paramref name="ranges"/> (inclusive; none means every layer).</summary>
    public LayerSet(string name, IReadOnlyList<(int First, int Last)> ranges)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(ranges);
        Name = name;
        Ranges = [.. ranges.OrderBy(r => r.First)];
        foreach (var (first, last) in Ranges)
            if (first < 0 || last < first)
                throw new ArgumentException($"layer set '{name}' has the range {first}-{last}; a range is first-last with 0 <= first <= last.", nameof(ranges));
        for (int m = 1; m < Ranges.Count; m++)
            if (Ranges[m].First <= Ranges[m - 1].Last)
                throw new ArgumentException($"layer set '{name}' has overlapping ranges {Ranges[m - 1].First}-{Ranges[m - 1].Last} and {Ranges[m].First}-{Ranges[m].Last}; list each layer once.", nameof(ranges));
    }

    /// <summary>The name in cell ids and report rows.</summary>
    public string Name { get; }

    /// <summary>The covered layer ranges, ordered; empty means every layer.</summary>
    public IReadOnlyList<(int First, int Last)> Ranges { get; }

    /// <summary>Whether the set covers every layer (the pattern is used as written).</summary>
    public bool IsAll => Ranges.Count == 0;

    /// <summary>The ranges as written in a spec: <c>6-11</c>, <c>0,6-11</c>, or <c>all</c>.</summary>
    public string RangeSpec => IsAll ? "all"
        : string.Join(',', Ranges.Select(r => r.First == r.Last ? r.First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{r.First}-{r.Last}")));

    /// <summary>
    /// The pattern of a cell: <paramref name="pattern"/> itself for <c>all</c>, else the schedule
    /// <c>layers(R: pattern; *: full)</c> over this set's ranges. Throws when the ranges overlap.
    /// </summary>
    public Pattern Apply(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        // Full attention on some layers and full on the rest is full attention: one spec, so the grid trains it once.
        if (IsAll || pattern is FullPattern) return pattern;
        return new SchedulePattern(ScheduleAxis.Layers, Ranges.Select(r => new ScheduleEntry(r.First, r.Last, pattern)), new FullPattern());
    }

    /// <summary>
    /// The attention spec of a cell: <paramref name="spec"/> itself for <c>all</c>; a pattern as <see cref="Apply(Pattern)"/>
    /// places it; a single attention variant as <c>layers(R: variant; *: full)</c>. A learnable pattern learns every
    /// layer and a layer schedule of variants already places its variants, so neither can be placed on a layer set:
    /// that throws <see cref="ArgumentException"/> saying so.
    /// </summary>
    public AttentionSpec Apply(AttentionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (IsAll) return spec;
        if (spec.Learnable is not null)
            throw new ArgumentException($"the learnable pattern {spec} learns every layer, so the layer set '{Name}' ({RangeSpec}) cannot place it; give it its own grid with layers: [all].");
        if (!spec.HasVariants) return AttentionSpec.Of(Apply(spec.Pattern!));
        if (spec.Variant is null)
            throw new ArgumentException($"the layer schedule {spec} already says which layers run which variant, so the layer set '{Name}' ({RangeSpec}) cannot place it; give it its own grid with layers: [all].");
        var entries = Ranges.Select(r => (r.First == r.Last ? r.First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{r.First}-{r.Last}")) + $":{spec}");
        return AttentionSpec.Parse($"layers({string.Join(';', entries)};*:full)");
    }

    /// <summary>Parses <c>all</c>, <c>*</c>, <c>6-11</c>, <c>7</c> or a comma list such as <c>0-2,9-11</c>.</summary>
    /// <exception cref="FormatException">The ranges are not in that form.</exception>
    public static LayerSet Parse(string name, string ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var text = ranges.Trim();
        if (text is "all" or "*") return new LayerSet(name, []);
        var parsed = new List<(int, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new FormatException($"layer set '{name}': '{ranges}' is not a list of layer ranges; write e.g. '6-11', '0,6-11' or 'all'.");
            int first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            int last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            parsed.Add((first, last));
        }
        return new LayerSet(name, parsed);
    }
}
