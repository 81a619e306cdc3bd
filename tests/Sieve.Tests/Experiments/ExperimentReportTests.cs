// The report from a hand-made results file: means and sample standard deviations over seeds, changes against the
// reference row with a true minus sign, the average column, missing and diverged cells; and a PNG that decodes.
using Sieve.Experiments;
using Sieve.Learnable;
using SkiaSharp;

namespace Sieve.Tests.Experiments;

public sealed class ExperimentReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ExperimentSpec _spec = ExperimentSpec.Parse("""
        name: hand
        config: c.json
        tasks: [{name: rte, data: d}, {name: mrpc, data: d}]
        patterns: [full, {label: L2, spec: local(2)}]
        seeds: [1, 2]
        reference: full
        """, "/base");

    private static CellResult Line(string task, string pattern, int seed, double value, double rho, string outcome = "Completed") =>
        ResultsFileTests.Result($"{task}/{pattern}/all/seed-{seed}/pretrain-no", value) with
        {
            Task = task,
            Pattern = pattern,
            Seed = seed,
            Outcome = outcome,
            PaperMetric = task == "rte" ? "accuracy" : "f1",
            PaperValue = outcome == "Completed" ? value : null,
            Sparsity = rho,
        };

    // rte:  full 0.60, 0.64 (ρ 0, 0)        L2 0.58, 0.60 (ρ 0.80, 0.82)
    // mrpc: full 0.80 (seed 2 missing)       L2 0.75, seed 2 diverged
    private static readonly CellResult[] _lines =
    [
        Line("rte", "full", 1, 0.60, 0.0), Line("rte", "full", 2, 0.64, 0.0),
        Line("rte", "L2", 1, 0.58, 0.80), Line("rte", "L2", 2, 0.60, 0.82),
        Line("mrpc", "full", 1, 0.80, 0.0),
        Line("mrpc", "L2", 1, 0.75, 0.70), Line("mrpc", "L2", 2, double.NaN, 0.70, "NonFiniteLoss"),
        Line("rte", "L2", 1, 0.10, 0.10),                 // a duplicate id: the first line counts
        Line("sst2", "full", 1, 0.90, 0.0),               // not a cell of this grid: ignored
    ];

    [Fact]
    public void Rows_HoldMeansStdsAndDeltas_ComputedByHand()
    {
        var report = ExperimentReport.Build(_spec, _lines);

        Assert.Equal(["full", "L2"], report.Rows.Select(r => r.Pattern));
        var (full, l2) = (report.Rows[0], report.Rows[1]);
        var rte = l2.Entries[0]!;
        Assert.Equal(2, rte.Runs);
        Assert.Equal(0.59, rte.Performance, 12);
        Assert.Equal(Math.Sqrt(2 * 0.01 * 0.01), rte.PerformanceStd!.Value, 12);   // sample std of {0.58, 0.60}
        Assert.Equal(0.81, rte.Sparsity, 12);
        Assert.Equal(0.62, full.Entries[0]!.Performance, 12);
        Assert.Equal(-0.03, report.Delta(l2, 0)!.Value, 12);
        Assert.Null(report.Delta(full, 0));
        var mrpc = l2.Entries[1]!;
        Assert.Equal((1, 0.75, (double?)null), (mrpc.Runs, mrpc.Performance, mrpc.PerformanceStd));
        Assert.Equal(-0.05, report.Delta(l2, 1)!.Value, 12);
        Assert.Equal((0.59 + 0.75) / 2, l2.AveragePerformance!.Value, 12);
        Assert.Equal((0.62 + 0.80) / 2, full.AveragePerformance!.Value, 12);
        Assert.Equal(-0.04, report.AverageDelta(l2)!.Value, 12);
        Assert.Equal(1, report.Missing);
        Assert.Equal("mrpc/L2/all/seed-2/pretrain-no", Assert.Single(report.Unsuccessful).Id);
    }

    [Fact]
    public void AaaShares_ArePooledOverSeedsByTokens_AndPrintedPerLayer()
    {
        // Seed 1 read 100 tokens: layer 0 rows 20 %, columns 40 %; seed 2 read 300: rows 0 %, columns 20 %; layer 1 only
        // in seed 1. Pooled layer 0: rows 20·100/400 = 5 %, columns (40·100 + 20·300)/400 = 25 %. A fixed row records none.
        static LearnedPatternReport Shares(params LearnedLayerReport[] layers) => new("aaa(local=2)", layers);
        CellResult[] lines =
        [
            Line("rte", "full", 1, 0.60, 0.0),
            Line("rte", "L2", 1, 0.58, 0.80) with { Learned = Shares(new(0, 0.2, 0.4, 100), new(1, 0.1, 0.3, 100)) },
            Line("rte", "L2", 2, 0.60, 0.82) with { Learned = Shares(new(0, 0.0, 0.2, 300), new(1)) },
        ];
        var report = ExperimentReport.Build(_spec, lines);
        var row = Assert.Single(report.AxisShares);
        Assert.Equal(("L2", "rte", 2), (row.Pattern, row.Task, row.Runs));
        Assert.Equal(0.05, row.Layers[0]!.Value.Rows, 12);
        Assert.Equal(0.25, row.Layers[0]!.Value.Columns, 12);
        Assert.Equal((0.1, 0.3), row.Layers[1]!.Value);
        Assert.Contains("| L2 | rte | 2 | 5.0 / 25.0 | 10.0 / 30.0 |", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Empty(ExperimentReport.Build(_spec, _lines).AxisShares);
    }

    [Fact]
    public void Markdown_PrintsThePapersForm()
    {
        var markdown = ExperimentReport.Build(_spec, _lines).ToMarkdown();

        Assert.Contains("| Pattern | rte ρ | rte Pf. | mrpc ρ | mrpc Pf. | Avg. ρ | Avg. Pf. |", markdown, StringComparison.Ordinal);
        Assert.Contains("| full | 0.0 ± 0.0 | 62.0 ± 2.8 | 0.0 | 80.0 | 0.0 | 71.0 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| L2 | 81.0 ± 1.4 | 59.0 ± 1.4 (−3.0) | 70.0 | 75.0 (−5.0) | 75.5 | 67.0 (−4.0) |", markdown, StringComparison.Ordinal);
        Assert.Contains("1 cell(s) have no result yet", markdown, StringComparison.Ordinal);
        Assert.Contains("Left out: mrpc/L2/all/seed-2/pretrain-no ended NonFiniteLoss.", markdown, StringComparison.Ordinal);
        Assert.Contains("rte: accuracy, mrpc: f1", markdown, StringComparison.Ordinal);

        // The second table: median (min–max) of Pf. over the seeds; a single run is its own median and range.
        Assert.Contains("Pf. over the seeds as median (min–max), %:", markdown, StringComparison.Ordinal);
        Assert.Contains("| full | 62.0 (60.0–64.0) | 80.0 (80.0–80.0) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| L2 | 59.0 (58.0–60.0) | 75.0 (75.0–75.0) |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Median_IsTheMiddleRun_NotTheMean()
    {
        var entry = ReportEntry.Of([(0.50, 0.9), (0.61, 0.9), (0.62, 0.9)])!;
        Assert.Equal(0.61, entry.PerformanceMedian, 12);
        Assert.Equal((0.50, 0.62), entry.PerformanceRange);
        Assert.Equal(0.5766666666666667, entry.Performance, 12);
        Assert.Equal(0.60, ReportEntry.Of([(0.62, 0.9), (0.59, 0.9), (0.50, 0.9), (0.61, 0.9)])!.PerformanceMedian, 12);
    }

    [Theory]
    [InlineData(1.24, "+1.2")]
    [InlineData(-3.35, "−3.4")]
    [InlineData(-0.04, "+0.0")]
    [InlineData(0.0, "+0.0")]
    public void Signed_UsesATrueMinus(double points, string expected) => Assert.Equal(expected, ExperimentReport.Signed(points));

    [Fact]
    public void PlotPoints_AreMediansWithTheSeedsRange_LabelledByRowAndTask()
    {
        var points = ReportPlot.Points(ExperimentReport.Build(_spec, _lines));

        // rte L2: Pf. 58 and 60, ρ 80 and 82; mrpc full has one seed; mrpc L2's diverged seed is not a point.
        Assert.Equal(["full, rte", "full, mrpc", "L2, rte", "L2, mrpc"], points.Select(p => p.Label));
        var l2 = points[2];
        Assert.Equal((0, 59.0, 81.0, 2), (l2.Task, Math.Round(l2.Performance, 9), Math.Round(l2.Sparsity, 9), l2.Runs));
        Assert.Equal((58.0, 60.0), (Math.Round(l2.PerformanceRange.Min, 9), Math.Round(l2.PerformanceRange.Max, 9)));
        Assert.Equal((80.0, 82.0), (Math.Round(l2.SparsityRange.Min, 9), Math.Round(l2.SparsityRange.Max, 9)));
        Assert.Equal((1, 1), (points[1].Task, points[1].Runs));
        Assert.Equal(points[1].Performance, points[1].PerformanceRange.Min);
    }

    [Fact]
    public void PlotLabels_NameTheLayerSetWhereTheGridVariesIt_AndFullOnTheLaterLayersIsDrawnOnce()
    {
        var spec = ExperimentSpec.Parse("""
            config: c.json
            tasks: [{name: rte, data: d}]
            patterns: [full, {label: L2, spec: local(2)}]
            layers: [all, {later: 3-5}]
            seeds: [1]
            """, "/base");
        var lines = new[]
        {
            Line("rte", "full", 1, 0.6, 0.0), Line("rte", "L2", 1, 0.5, 0.8),
            Line("rte", "L2", 1, 0.55, 0.4) with { Id = "rte/L2/later/seed-1/pretrain-no", Layers = "later" },
        };

        // full on the later layers is full: the same cell, so the same entry, and one marker.
        Assert.Equal(["full, all", "L2, all", "L2, later"], ReportPlot.Points(ExperimentReport.Build(spec, lines)).Select(p => p.Label));
    }

    [Theory]
    [InlineData("short", "short")]
    [InlineData("AAA Tables 1 and 4 on SST-2 (all-MiniLM-L6-v2, 20,000 training sentences, fine-tuning only, three seeds)",
        "AAA Tables 1 and 4 on SST-2 (all-MiniLM-L6-v2, 20,000\ntraining sentences, fine-tuning only, three seeds)")]
    [InlineData("Breaking BERT masks on RTE (all-MiniLM-L6-v2, all layers vs later layers)",
        "Breaking BERT masks on RTE (all-MiniLM-L6-v2,\nall layers vs later layers)")]
    public void Titles_BreakAtSpacesIntoEvenLinesOfAtMostSeventyCharacters(string title, string expected) =>
        Assert.Equal(expected, ReportPlot.BreakLines(title));

    [Fact]
    public void Plot_IsAPngThatDecodes()
    {
        var path = Path.Combine(_dir, "plot", "report.png");
        ExperimentReport.Build(_spec, _lines).SavePlot(path, 640, 480);

        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((640, 480), (bitmap.Width, bitmap.Height));
        // Not a blank canvas: the markers and text give more than one colour.
        Assert.True(bitmap.Pixels.Distinct().Take(3).Count() > 2);
    }
    [Fact]
    public void Mnli_ShowsMatchedThenMismatched()
    {
        var spec = ExperimentSpec.Parse("config: c.json\ntasks: [{name: mnli, data: d}]\npatterns: [full]\nseeds: [1, 2]\n", "/base");
        CellResult Mnli(int seed, double matched, double mismatched) => Line("mnli", "full", seed, matched, 0) with
        {
            PaperMetric = "accuracy",
            Metrics = new Dictionary<string, double> { ["accuracy"] = matched, ["accuracy_mismatched"] = mismatched },
        };
        var report = ExperimentReport.Build(spec, [Mnli(1, 0.80, 0.79), Mnli(2, 0.82, 0.81)]);

        Assert.Equal(0.80, report.Rows[0].Entries[0]!.PerformanceMismatched!.Value, 12);
        var markdown = report.ToMarkdown();
        Assert.Contains("81.0 ± 1.4 / 80.0", markdown, StringComparison.Ordinal);
        Assert.Contains("MNLI: matched, then / the mismatched", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(" / ", ExperimentReport.Build(_spec, _lines).ToMarkdown(), StringComparison.Ordinal);
    }
}
