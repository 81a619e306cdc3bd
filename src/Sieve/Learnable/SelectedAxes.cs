// Which tokens an aaa(...) layer selected for one input (AAA §4.2): the rows that attend to every key and the columns
// every query attends to, read back from the hardened pattern the layer ran (axis(rows, cols) + local(k) + …).
using Sieve.Modeling;
using Sieve.Patterns;

namespace Sieve.Learnable;

/// <summary>The positions an aaa(...) layer selected as rows and as columns for one example, sorted.</summary>
public sealed record SelectedAxes(IReadOnlyList<int> Rows, IReadOnlyList<int> Columns)
{
    /// <summary>
    /// The learned part of a pattern hardened by <see cref="AxisAttentionPattern.HardenBatch"/>: the axis(...) it puts
    /// first, before its fixed local(k) part; none when the layer selected nothing (the pattern is then its fixed part).
    /// </summary>
    public static SelectedAxes Of(Pattern hardened)
    {
        ArgumentNullException.ThrowIfNull(hardened);
        var first = hardened;
        while (first is UnionPattern union) first = union.Left;
        return first is AxisPattern axis ? new SelectedAxes(axis.RowPositions, axis.ColumnPositions) : new SelectedAxes([], []);
    }

    /// <summary>
    /// The selection of <paramref name="example"/> at <paramref name="layer"/> from the
    /// <see cref="Modeling.AttentionOutcome.Layouts"/> of an aaa(...) model's evaluation forward, whose per-layer spec lists each example's hardened pattern.
    /// </summary>
    public static SelectedAxes Of(BatchLayouts layouts, int layer, int example = 0)
    {
        ArgumentNullException.ThrowIfNull(layouts);
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, layouts.Layers);
        var perExample = layouts.PatternAt(layer).Split(" | ");
        if (perExample.Length != layouts[layer].Batch)
            throw new InvalidOperationException($"layer {layer} ran '{layouts.PatternAt(layer)}', not one hardened aaa pattern per example of the batch of {layouts[layer].Batch}.");
        ArgumentOutOfRangeException.ThrowIfNegative(example);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(example, perExample.Length);
        return Of(PatternSpec.Parse(perExample[example]));
    }
}
