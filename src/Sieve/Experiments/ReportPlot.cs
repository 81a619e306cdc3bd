// The picture of a grid's report: the paper metric against ρ, one labelled marker per row and task at the median over
// seeds, with bars over the seeds' range in both directions, and a dashed line at the reference row's median. A reader
// should see at a glance which pattern sits where and whether two rows' seeds overlap; a cloud of unlabelled dots of
// one colour (the plot before this one) said neither.
namespace Sieve.Experiments;

/// <summary>One marker of <see cref="ReportPlot"/>: a row on one task, in percent.</summary>
/// <param name="Label">What the legend says: the pattern, with the layer set, pre-training and task where the grid varies them.</param>
/// <param name="Task">The task's index in the spec.</param>
/// <param name="Sparsity">Mean ρ over the seeds.</param>
/// <param name="SparsityRange">The seeds' lowest and highest ρ.</param>
/// <param name="Performance">Median paper metric over the seeds.</param>
/// <param name="PerformanceRange">The seeds' lowest and highest paper metric.</param>
/// <param name="Runs">The seeds behind the marker.</param>
public sealed record ReportPlotPoint(string Label, int Task, double Sparsity, (double Min, double Max) SparsityRange,
    double Performance, (double Min, double Max) PerformanceRange, int Runs);

/// <summary>Draws <see cref="ExperimentReport"/> as a PNG.</summary>
public static class ReportPlot
{
    // Titles longer than this are broken at a space: ScottPlot draws a title on one line and cuts it at the edge.
    private const int TitleLine = 70;

    private static readonly ScottPlot.Palettes.Category10 _palette = new();

    // A marker shape per task (colours tell the rows apart).
    private static readonly ScottPlot.MarkerShape[] _shapes =
        [ScottPlot.MarkerShape.FilledCircle, ScottPlot.MarkerShape.FilledSquare, ScottPlot.MarkerShape.FilledTriangleUp, ScottPlot.MarkerShape.FilledDiamond];

    /// <summary>The markers: every (row, task) with a completed run, in the report's row order, values in percent; a row that repeats an earlier one's cells is left out.</summary>
    public static IReadOnlyList<ReportPlotPoint> Points(ExperimentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var points = new List<ReportPlotPoint>();
        var drawn = new List<ReportRow>();
        foreach (var row in report.Rows)
        {
            // A row whose cells are an earlier row's (full on the later layers is full) would be a second marker on
            // the first one's spot: its entries equal that row's, value for value.
            if (drawn.Any(d => d.Pattern == row.Pattern && d.Pretrain == row.Pretrain && d.Entries.SequenceEqual(row.Entries))) continue;
            drawn.Add(row);
            for (int t = 0; t < row.Entries.Count; t++)
            {
                if (row.Entries[t] is not { } entry) continue;
                points.Add(new ReportPlotPoint(Label(report, row, t), t, 100 * entry.Sparsity,
                    (100 * entry.SparsityRange.Min, 100 * entry.SparsityRange.Max), 100 * entry.PerformanceMedian,
                    (100 * entry.PerformanceRange.Min, 100 * entry.PerformanceRange.Max), entry.Runs));
            }
        }
        return points;
    }

    /// <summary>Writes the picture to <paramref name="path"/> (folders created).</summary>
    public static void Save(ExperimentReport report, string path, int width = 1000, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(path);
        var plot = new ScottPlot.Plot();
        var points = Points(report);
        for (int i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var marker = plot.Add.ScatterPoints(new[] { point.Sparsity }, new[] { point.Performance });
            marker.MarkerSize = 10;
            // One colour per marker and its bars, set here: each plottable added would take the next colour of the
            // palette, so markers would share colours with other rows' bars.
            marker.Color = _palette.GetColor(i);
            marker.MarkerShape = _shapes[point.Task % _shapes.Length];
            marker.LegendText = point.Runs == 1 ? $"{point.Label} (1 seed)" : $"{point.Label} ({point.Runs} seeds)";
            var range = plot.Add.ErrorBar(new[] { point.Sparsity }, new[] { point.Performance }, new[] { 0.0 });
            range.YErrorNegative = [point.Performance - point.PerformanceRange.Min];
            range.YErrorPositive = [point.PerformanceRange.Max - point.Performance];
            range.XErrorNegative = [point.Sparsity - point.SparsityRange.Min];
            range.XErrorPositive = [point.SparsityRange.Max - point.Sparsity];
            range.Color = marker.Color;
        }
        // The first reference row with a result draws the line a reader compares against (one per task, not one per
        // layer set or pre-training: more dashed lines would hide the markers).
        for (int t = 0; t < report.Spec.Tasks.Count; t++)
        {
            var reference = report.Rows.FirstOrDefault(r => r.Pattern == report.Spec.Reference && r.Entries[t] is not null);
            if (reference?.Entries[t] is not { } baseline) continue;
            var line = plot.Add.HorizontalLine(100 * baseline.PerformanceMedian);
            line.LinePattern = ScottPlot.LinePattern.Dashed;
            line.Color = ScottPlot.Colors.Gray;
            line.LegendText = $"{Label(report, reference, t)} (median)";
        }
        plot.Title($"{BreakLines(report.Spec.Name)}\nmarker: median Pf. and mean ρ over the seeds; bars: the seeds' range");
        plot.XLabel("sparsity ρ (%, AAA Eq. 9)");
        plot.YLabel("paper metric Pf. (%)");
        plot.ShowLegend(ScottPlot.Edge.Right);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }

    /// <summary>
    /// <paramref name="title"/> broken at spaces into as few lines of at most <see cref="TitleLine"/> characters as it
    /// needs (a longer word stays whole), of even length: the narrowest width that needs no more lines, so a long title
    /// does not end in a lone word.
    /// </summary>
    public static string BreakLines(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var words = title.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var widest = Wrap(words, TitleLine);
        for (int width = words.Length == 0 ? 0 : words.Max(w => w.Length); width < TitleLine; width++)
        {
            var lines = Wrap(words, width);
            if (lines.Count <= widest.Count) return string.Join('\n', lines);
        }
        return string.Join('\n', widest);
    }

    // Greedy filling: each line takes words while it stays within width.
    private static List<string> Wrap(string[] words, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in words)
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = "";
            }
            line = line.Length == 0 ? word : $"{line} {word}";
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    // The pattern, then what else tells this row apart in this grid: the layer set, pre-training, the task.
    private static string Label(ExperimentReport report, ReportRow row, int task)
    {
        var parts = new List<string> { row.Pattern };
        if (report.ShowsLayers) parts.Add(row.Layers);
        if (report.ShowsPretrain) parts.Add(row.Pretrain ? "pre-trained" : "fine-tuned only");
        if (report.Spec.Tasks.Count > 1) parts.Add(report.Spec.Tasks[task].Name);
        return string.Join(", ", parts);
    }
}
