// Per-layer and per-head placement of patterns (METHODS.md §2.2: sparsify only the later layers; §5: different heads,
// different patterns): the entry covering the map's layer or head decides which pattern it uses.
namespace Sieve.Patterns;

/// <summary>
/// A schedule: <c>layers(0-5: full; 6-11: local(1)+global(1))</c> or <c>heads(0-3: local(2); *: global(2))</c>.
/// Entries are disjoint inclusive ranges; <c>*</c> covers every index no range covers. Entries may hold schedules
/// (a layers entry may hold a heads schedule). Binding to a layer or head that nothing covers fails, naming it. The
/// canonical spec lists ranges in order, <c>*</c> last, without spaces.
/// </summary>
public sealed class SchedulePattern : Pattern
{
    private readonly ScheduleEntry[] _entries;

    public SchedulePattern(ScheduleAxis axis, IEnumerable<ScheduleEntry> entries, Pattern? otherwise = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Axis = axis;
        _entries = [.. entries.OrderBy(e => e.First)];
        Otherwise = otherwise;
        if (_entries.Length == 0 && otherwise is null)
            throw new ArgumentException($"{AxisName}(...) needs at least one entry, got none", nameof(entries));
        for (int m = 1; m < _entries.Length; m++)
            if (_entries[m].First <= _entries[m - 1].Last)
                throw new ArgumentException($"{AxisName}(...) entries {_entries[m - 1].RangeSpec} and {_entries[m].RangeSpec} overlap", nameof(entries));
    }

    /// <summary>Whether the schedule selects by layer or by head.</summary>
    public ScheduleAxis Axis { get; }

    /// <summary>The ranged entries, ordered by their first index.</summary>
    public IReadOnlyList<ScheduleEntry> Entries => _entries;

    /// <summary>The <c>*</c> entry: the pattern of every index no range covers, or null when there is none.</summary>
    public Pattern? Otherwise { get; }

    private string AxisName => Axis == ScheduleAxis.Layers ? "layers" : "heads";

    /// <summary>
    /// The pattern this schedule uses at (<paramref name="layer"/>, <paramref name="head"/>), with nested schedules
    /// resolved too, so that maps whose resolved patterns are equal can share one layout.
    /// </summary>
    public Pattern PatternFor(int layer, int head) => ForLayerHead(layer, head);

    public override Pattern ForLayerHead(int layer, int head) => Select(layer, head).ForLayerHead(layer, head);

    public override bool IsRandom => _entries.Any(e => e.Pattern.IsRandom) || Otherwise?.IsRandom == true;

    public override ContextInputs Inputs => _entries.Aggregate(Otherwise?.Inputs ?? ContextInputs.None, (inputs, e) => inputs | e.Pattern.Inputs);

    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Select(context.Layer, context.Head).Bind(context);
    }

    public override string ToString()
    {
        var parts = _entries.Select(e => e.ToString());
        if (Otherwise is not null) parts = parts.Append($"*:{Otherwise}");
        return $"{AxisName}({string.Join(';', parts)})";
    }

    private Pattern Select(int layer, int head)
    {
        int index = Axis == ScheduleAxis.Layers ? layer : head;
        foreach (var entry in _entries)
            if (entry.Covers(index)) return entry.Pattern;
        string what = Axis == ScheduleAxis.Layers ? "layer" : "head";
        return Otherwise ?? throw new InvalidOperationException(
            $"{this} has no entry for {what} {index} and no '*' entry; add a range covering {what} {index} or a '*: pattern' entry.");
    }
}
