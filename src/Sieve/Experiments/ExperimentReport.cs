// The report of a grid in the papers' form (AAA Tables 1 and 4): one row per pattern (× layer set × pre-training), per
// task ρ and the paper metric (Pf.) as mean ± std over seeds, the change of Pf. against the reference row, an average
// column; AAA's row and column shares per layer (its Table 6) where the grid learned one; and its picture (ReportPlot).
using System.Globalization;
using System.Text;

namespace Sieve.Experiments;

/// <summary>The summary of a grid's results; <see cref="ToMarkdown"/> and <see cref="SavePlot"/> write it.</summary>
public sealed class ExperimentReport
{
    private ExperimentReport(ExperimentSpec spec, IReadOnlyList<ReportRow> rows, IReadOnlyList<CellResult> unsuccessful, int missing,
        IReadOnlyList<AxisShareRow> axisShares, IReadOnlyList<CellResult> reused)
    {
        Reused = reused;
        Spec = spec;
        Rows = rows;
        Unsuccessful = unsuccessful;
        Missing = missing;
        AxisShares = axisShares;
    }

    /// <summary>
    /// AAA's Table 6 for each (row, task) whose completed cells recorded row and column shares: per layer, the shares of
    /// dev tokens selected as rows and as columns, pooled over the seeds (weighted by each run's tokens).
    /// </summary>
    public IReadOnlyList<AxisShareRow> AxisShares { get; }

    /// <summary>The grid.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>The rows: patterns, then layer sets, then pretrain, in the spec's order.</summary>
    public IReadOnlyList<ReportRow> Rows { get; }

    /// <summary>Recorded cells that did not complete (diverged); they are left out of the means.</summary>
    public IReadOnlyList<CellResult> Unsuccessful { get; }

    /// <summary>The grid's lines taken from another grid (<see cref="CellResult.ReusedFrom"/>), in grid order.</summary>
    public IReadOnlyList<CellResult> Reused { get; }

    /// <summary>Cells of the grid with no line in the results yet.</summary>
    public int Missing { get; }

    /// <summary>Whether rows need their layer set named: the grid has several, or one that is not all layers.</summary>
    public bool ShowsLayers => Spec.LayerSets.Count > 1 || !Spec.LayerSets[0].IsAll;

    /// <summary>Whether rows need their pre-training named: the grid varies it, or pre-trains every cell.</summary>
    public bool ShowsPretrain => Spec.Pretrain.Count > 1 || Spec.Pretrain[0];

    /// <summary>
    /// Summarises <paramref name="results"/> over <paramref name="spec"/>'s grid. Lines whose id is not a cell of the
    /// grid are ignored; the first line of an id counts.
    /// </summary>
    public static ExperimentReport Build(ExperimentSpec spec, IReadOnlyList<CellResult> results)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(results);
        var byId = new Dictionary<string, CellResult>(StringComparer.Ordinal);
        foreach (var result in results) byId.TryAdd(result.Id, result);
        var cells = spec.Cells();
        var rows = new List<ReportRow>();
        var unsuccessful = new List<CellResult>();
        var axisShares = new List<AxisShareRow>();
        foreach (var pattern in spec.Patterns)
            foreach (var layers in spec.LayerSets)
                foreach (bool pretrain in spec.Pretrain)
                {
                    var entries = new List<ReportEntry?>();
                    foreach (var task in spec.Tasks)
                    {
                        var runs = new List<(double, double)>();
                        var mismatched = new List<double>();
                        var learned = new List<Learnable.LearnedPatternReport>();
                        foreach (var cell in cells.Where(c => c.Task == task && c.Pattern == pattern && c.Layers == layers && c.Pretrain == pretrain))
                        {
                            // A cell that trains what an earlier one trains shows that cell's result.
                            if (!byId.TryGetValue(cells[cell.SameAs ?? cell.Index].Id, out var result)) continue;
                            if (result is { Outcome: "Completed", PaperValue: double value, Sparsity: double rho })
                            {
                                runs.Add((value, rho));
                                if (result.Learned is { } report) learned.Add(report);
                                if (result.Metrics.TryGetValue(result.PaperMetric + FineTuning.FineTuneResult.MismatchedSuffix, out double mm)) mismatched.Add(mm);
                            }
                            else unsuccessful.Add(result);
                        }
                        entries.Add(ReportEntry.Of(runs, mismatched));
                        if (AxisShareRow.Pool(pattern.Label, layers.Name, pretrain, task.Name, learned) is { } shares) axisShares.Add(shares);
                    }
                    rows.Add(new ReportRow(pattern.Label, layers.Name, pretrain, entries));
                }
        var reused = cells.Select(c => byId.GetValueOrDefault(c.Id)).OfType<CellResult>().Where(r => r.ReusedFrom is not null).ToList();
        return new ExperimentReport(spec, rows, unsuccessful, cells.Count(c => c.SameAs is null && !byId.ContainsKey(c.Id)), axisShares, reused);
    }

    /// <summary>The row <paramref name="row"/> is compared against: the reference pattern on the same layer set and pre-training.</summary>
    public ReportRow? ReferenceOf(ReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Rows.FirstOrDefault(r => r.Pattern == Spec.Reference && r.Layers == row.Layers && r.Pretrain == row.Pretrain);
    }

    /// <summary>The change of the mean paper metric of task <paramref name="task"/> (index) against the reference row; null for the reference itself or a missing entry.</summary>
    public double? Delta(ReportRow row, int task)
    {
        var reference = ReferenceOf(row);
        if (reference is null || ReferenceEquals(reference, row)) return null;
        return row.Entries[task] is { } entry && reference.Entries[task] is { } baseline ? entry.Performance - baseline.Performance : null;
    }

    /// <summary>The change of the average column against the reference row.</summary>
    public double? AverageDelta(ReportRow row)
    {
        var reference = ReferenceOf(row);
        if (reference is null || ReferenceEquals(reference, row)) return null;
        return row.AveragePerformance - reference.AveragePerformance;
    }

    /// <summary>The table as markdown, values in percent with one decimal, the change in parentheses: <c>66.1 ± 1.2 (−0.4)</c>.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"# {Spec.Name}").AppendLine();
        var metrics = Spec.Tasks.Select(t => $"{t.Name}: {Data.TaskDefinition.Parse(t.Name).PaperMetric.ToString().ToLowerInvariant()}");
        text.AppendLine(Invariant($"ρ: sparsity (AAA Eq. 9) on dev, %. Pf.: the task's paper metric on dev, % ({string.Join(", ", metrics)}). Mean ± sample std over {Spec.Seeds.Count} seed(s); in parentheses the change of Pf. against {Spec.Reference} on the same layers."));
        if (Rows.Any(r => r.Entries.Any(e => e?.PerformanceMismatched is not null)))
            text.AppendLine().AppendLine("MNLI: matched, then / the mismatched dev split's mean.");
        text.AppendLine();
        var columns = Spec.Tasks.SelectMany(t => new[] { $"{t.Name} ρ", $"{t.Name} Pf." }).Concat(["Avg. ρ", "Avg. Pf."]);
        AppendTable(text, columns, row =>
        {
            var cells = new List<string>();
            for (int t = 0; t < Spec.Tasks.Count; t++)
            {
                var entry = row.Entries[t];
                cells.Add(entry is null ? "–" : Value(entry.Sparsity, entry.SparsityStd, null));
                cells.Add(entry is null ? "–" : Value(entry.Performance, entry.PerformanceStd, Delta(row, t))
                    + (entry.PerformanceMismatched is double mm ? Invariant($" / {100 * mm:0.0}") : ""));
            }
            cells.Add(row.AverageSparsity is double rho ? Value(rho, null, null) : "–");
            cells.Add(row.AveragePerformance is double pf ? Value(pf, null, AverageDelta(row)) : "–");
            return cells;
        });
        // A second table when some row has two or more seeds: the median and range of Pf., which a mean ± std over
        // three seeds can hide (one bad seed moves the mean, not the median).
        if (Rows.Any(r => r.Entries.Any(e => e is { Runs: > 1 })))
        {
            text.AppendLine().AppendLine("Pf. over the seeds as median (min–max), %:").AppendLine();
            AppendTable(text, Spec.Tasks.Select(t => $"{t.Name} Pf."), row => row.Entries.Select(e => e is null ? "–"
                : Invariant($"{100 * e.PerformanceMedian:0.0} ({100 * e.PerformanceRange.Min:0.0}–{100 * e.PerformanceRange.Max:0.0})")));
        }
        if (AxisShares.Count > 0)
        {
            int layers = AxisShares.Max(s => s.Layers.Count);
            text.AppendLine().AppendLine("Rows / columns AAA selected on dev, % of real tokens per layer, pooled over the seeds (AAA Table 6):").AppendLine();
            text.AppendLine($"| Pattern | Task | Runs | {string.Join(" | ", Enumerable.Range(0, layers).Select(l => $"L{l}"))} |");
            text.AppendLine($"|---|---|---:|{string.Join("|", Enumerable.Range(0, layers).Select(_ => "---:"))}|");
            foreach (var share in AxisShares)
            {
                var perLayer = Enumerable.Range(0, layers).Select(l => l < share.Layers.Count && share.Layers[l] is { } s ? Invariant($"{100 * s.Rows:0.0} / {100 * s.Columns:0.0}") : "–");
                text.AppendLine($"| {share.Pattern.Replace("|", "\\|", StringComparison.Ordinal)} | {share.Task} | {share.Runs} | {string.Join(" | ", perLayer)} |");
            }
        }
        if (Missing > 0) text.AppendLine().AppendLine(Invariant($"{Missing} cell(s) have no result yet (`sieve experiment run` runs them)."));
        foreach (var failed in Unsuccessful) text.AppendLine().AppendLine($"Left out: {failed.Id} ended {failed.Outcome}.");
        if (Reused.Count > 0)
        {
            text.AppendLine().AppendLine("Not trained in this grid, taken from another grid that trained the same run:").AppendLine();
            foreach (var reused in Reused) text.AppendLine($"- {reused.Id}: {reused.ReusedFrom}");
        }
        return text.ToString();
    }

    // One markdown table of the rows: the pattern, the layer set and pre-training where the spec varies them, then the
    // given columns; a '|' inside a cell is escaped.
    private void AppendTable(StringBuilder text, IEnumerable<string> columns, Func<ReportRow, IEnumerable<string>> values)
    {
        var header = new List<string> { "Pattern" };
        if (ShowsLayers) header.Add("Layers");
        if (ShowsPretrain) header.Add("Pre-train");
        header.AddRange(columns);
        text.AppendLine($"| {string.Join(" | ", header)} |");
        text.AppendLine($"|{string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:"))}|");
        foreach (var row in Rows)
        {
            var cells = new List<string> { row.Pattern };
            if (ShowsLayers) cells.Add(row.Layers);
            if (ShowsPretrain) cells.Add(row.Pretrain ? "yes" : "no");
            cells.AddRange(values(row));
            text.AppendLine($"| {string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))} |");
        }
    }

    /// <summary>Writes the PNG of <see cref="ReportPlot"/>: Pf. against ρ, a labelled marker per row and task with the seeds' range.</summary>
    public void SavePlot(string path, int width = 1000, int height = 600) => ReportPlot.Save(this, path, width, height);

    // 0.661 ± 0.012 (−0.004) → "66.1 ± 1.2 (−0.4)"; a true minus sign, as the papers print it.
    private static string Value(double mean, double? std, double? delta)
    {
        var text = Invariant($"{100 * mean:0.0}");
        if (std is double s) text += Invariant($" ± {100 * s:0.0}");
        if (delta is double d) text += $" ({Signed(100 * d)})";
        return text;
    }

    /// <summary>A change in points with its sign: <c>+1.2</c>, <c>−3.4</c> (U+2212), <c>+0.0</c> when it rounds to zero.</summary>
    public static string Signed(double points)
    {
        var rounded = Math.Round(points, 1, MidpointRounding.AwayFromZero);
        if (rounded == 0) return "+0.0";   // never "-0.0"
        return rounded < 0 ? Invariant($"−{-rounded:0.0}") : Invariant($"+{rounded:0.0}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
