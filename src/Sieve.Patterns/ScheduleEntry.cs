// One entry of a layer or head schedule: an inclusive index range and the pattern used there.
namespace Sieve.Patterns;

/// <summary>Indices <see cref="First"/>..<see cref="Last"/> (inclusive) use <see cref="Pattern"/>. Spec: <c>0-5: full</c> or <c>7: full</c>.</summary>
public sealed record ScheduleEntry
{
    public ScheduleEntry(int first, int last, Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (first < 0) throw new ArgumentOutOfRangeException(nameof(first), first, $"a schedule range needs indices >= 0, got {first}");
        if (last < first) throw new ArgumentOutOfRangeException(nameof(last), last, $"a schedule range needs first <= last, got {first}-{last}");
        First = first;
        Last = last;
        Pattern = pattern;
    }

    /// <summary>The first index covered.</summary>
    public int First { get; }

    /// <summary>The last index covered (inclusive).</summary>
    public int Last { get; }

    /// <summary>The pattern used for the covered indices.</summary>
    public Pattern Pattern { get; }

    /// <summary>Whether <paramref name="index"/> lies in the range.</summary>
    public bool Covers(int index) => index >= First && index <= Last;

    /// <summary>The range as printed in a spec: <c>7</c> or <c>0-5</c>.</summary>
    public string RangeSpec => First == Last ? $"{First}" : $"{First}-{Last}";

    public override string ToString() => $"{RangeSpec}:{Pattern}";
}
