// The demo's report folder: a markdown summary (the table in AAA Table 2's form, with the spread over seeds), the
// patterns drawn side by side (AAA Figure 1 style) and a plot of accuracy against measured sparsity.
using System.Globalization;
using System.Text;
using Sieve.Patterns;
using Sieve.Specs;

namespace Sieve.Demo;

/// <summary>Summarises and writes the demo's results.</summary>
public static class DemoReport
{
    /// <summary>File names inside the report folder.</summary>
    public const string MarkdownFile = "README.md", PatternsPicture = "patterns.png", AccuracyPlot = "accuracy-vs-sparsity.png";

    /// <summary>One row per pattern: the mean over seeds and the range.</summary>
    public static IReadOnlyList<DemoSummaryRow> Summarise(IReadOnlyList<DemoRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. runs.GroupBy(r => r.Pattern).Select(g => new DemoSummaryRow(
            g.Key, g.Average(r => r.Sparsity), g.Average(r => r.Accuracy), g.Min(r => r.Accuracy), g.Max(r => r.Accuracy),
            g.Average(r => r.TrainingSeconds), g.Any(r => r.PeakBytes is null) ? null : (long)g.Average(r => r.PeakBytes!.Value), g.Count()))];
    }

    /// <summary>Writes the needle demo's report (<see cref="DemoReportSetup.ForNeedle"/>) to <paramref name="directory"/>.</summary>
    public static void Write(string directory, DemoOptions options, IReadOnlyList<DemoRun> runs, TimeSpan elapsed) =>
        Write(directory, DemoReportSetup.ForNeedle(options), runs, elapsed);

    /// <summary>Writes the markdown summary, the pattern picture and the plot to <paramref name="directory"/>.</summary>
    public static void Write(string directory, DemoReportSetup setup, IReadOnlyList<DemoRun> runs, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(setup);
        Directory.CreateDirectory(directory);
        var rows = Summarise(runs);
        DrawPatterns(Path.Combine(directory, PatternsPicture), setup);
        DrawAccuracy(Path.Combine(directory, AccuracyPlot), runs, setup);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(setup, rows, elapsed));
    }

    /// <summary>The summary table in markdown.</summary>
    public static string Table(IReadOnlyList<DemoSummaryRow> rows, string memoryHeading = DemoReportSetup.ExtraMemory)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine($"| pattern | ρ (Eq. 9) | accuracy (mean) | accuracy (min–max over seeds) | training time | {memoryHeading} |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{r.Pattern}` | {r.Sparsity:0.000} | {100 * r.Accuracy:0.0} % | {100 * r.MinAccuracy:0.0}–{100 * r.MaxAccuracy:0.0} % | {r.TrainingSeconds:0.0} s | {(r.PeakBytes is long b ? $"{b / 1048576.0:0} MiB" : "n/a")} |"));
        }
        return text.ToString();
    }

    private static string Markdown(DemoReportSetup setup, IReadOnlyList<DemoSummaryRow> rows, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            # {setup.Title}

            {setup.Introduction.TrimEnd()}

            {Table(rows, setup.MemoryHeading)}
            {setup.Discussion.TrimEnd()}

            ![patterns]({PatternsPicture})

            ![accuracy against sparsity]({AccuracyPlot})

            Total time {elapsed.TotalMinutes:0.0} min. Each run's training log (JSONL, TensorBoard) is under `runs/`.
            """);

    private static void DrawPatterns(string path, DemoReportSetup setup)
    {
        // Learned patterns have no picture before training, variants none at all; only the fixed patterns are pictured.
        var panels = setup.Patterns.Select(AttentionSpec.Parse).Where(spec => spec.Learnable is null && !spec.HasVariants).Select(spec =>
            new MaskPanel(spec.ToString(), CsrLayout.Build(spec.Pattern!, setup.PictureContext))).ToArray();
        if (panels.Length > 0) MaskPicture.SavePng(path, panels, new MaskPictureOptions { CellPixels = 4 });
    }

    private static void DrawAccuracy(string path, IReadOnlyList<DemoRun> runs, DemoReportSetup setup)
    {
        double chance = setup.Chance;
        var plot = new ScottPlot.Plot();
        foreach (var group in runs.GroupBy(r => r.Pattern))
        {
            var points = plot.Add.Scatter(group.Select(r => r.Sparsity).ToArray(), group.Select(r => 100 * r.Accuracy).ToArray());
            points.LineWidth = 0;
            points.MarkerSize = 10;
            points.LegendText = group.Key;
        }
        var line = plot.Add.HorizontalLine(100 * chance);
        line.LegendText = "chance";
        line.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Axes.SetLimitsY(Math.Max(0, (100 * chance) - 10), 102);
        plot.XLabel("sparsity ρ (AAA Eq. 9)");
        plot.YLabel("held-out accuracy (%)");
        plot.Title(setup.PlotTitle);
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        plot.SavePng(path, 720, 480);
    }
}
