// Whether the layer and head schedules inside a pattern fit a model: `layers(0-11: ...)` on a 6-layer model names
// layers that do not exist, which is a mistake in the spec (another model in mind), not something to ignore.
namespace Sieve.Patterns;

/// <summary>Checks every <see cref="SchedulePattern"/> in a pattern against a model's layer and head counts.</summary>
public static class ScheduleBounds
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> when a schedule in <paramref name="pattern"/> names a layer or head past
    /// <paramref name="layers"/> or <paramref name="heads"/>, or leaves one of them without a pattern (no range, no '*').
    /// </summary>
    public static void Check(Pattern pattern, int layers, int heads)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        switch (pattern)
        {
            case SchedulePattern schedule:
                CheckSchedule(schedule, layers, heads);
                break;
            case UnionPattern union:
                Check(union.Left, layers, heads);
                Check(union.Right, layers, heads);
                break;
            case IntersectionPattern intersection:
                Check(intersection.Left, layers, heads);
                Check(intersection.Right, layers, heads);
                break;
            case DifferencePattern difference:
                Check(difference.Left, layers, heads);
                Check(difference.Right, layers, heads);
                break;
        }
    }

    private static void CheckSchedule(SchedulePattern schedule, int layers, int heads)
    {
        bool byLayer = schedule.Axis == ScheduleAxis.Layers;
        int count = byLayer ? layers : heads;
        string what = byLayer ? "layer" : "head";
        foreach (var entry in schedule.Entries)
        {
            if (entry.Last >= count)
                throw new ArgumentException($"{schedule} names {what} {entry.Last} ({entry.RangeSpec}), but the model has {count} {what}s (0-{count - 1}); write the schedule for this model's {what}s.");
            Check(entry.Pattern, layers, heads);
        }
        if (schedule.Otherwise is { } otherwise)
        {
            Check(otherwise, layers, heads);
            return;
        }
        for (int index = 0; index < count; index++)
        {
            if (!schedule.Entries.Any(e => e.Covers(index)))
                throw new ArgumentException($"{schedule} has no entry for {what} {index} of the model's {count}; add a range covering it or a '*: pattern' entry.");
        }
    }
}
