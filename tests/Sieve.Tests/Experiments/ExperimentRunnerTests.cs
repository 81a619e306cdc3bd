// Running a grid with a fake cell runner (no training): every cell once, a rerun skips finished cells, a cell that
// crashes or is stopped leaves no line and runs again, and a cell folder never resumes another cell's run.
using Sieve.Experiments;
using Sieve.Learnable;
using Sieve.Training;

namespace Sieve.Tests.Experiments;

public sealed class ExperimentRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-grid-").FullName;
    private readonly List<string> _ran = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ExperimentSpec Spec(string patterns = "[full, local(1)]") => ExperimentSpec.Parse($"""
        name: fake
        output: out
        config: c.json
        tasks: [{"{"}name: rte, data: d{"}"}]
        patterns: {patterns}
        seeds: [1, 2]
        """, _dir);

    // Accuracy 0.5 + seed/100 + pattern index/10, ρ 0.1·(pattern index): numbers the test can predict.
    private CellMeasurement Fake(ExperimentCell cell, string directory, IProgress<TrainingProgress>? progress, Action<string>? status, CancellationToken token)
    {
        _ran.Add(cell.Id);
        Assert.Equal($"cell-{cell.Index}", Path.GetFileName(directory));
        Assert.StartsWith(_dir, directory, StringComparison.Ordinal);
        Assert.True(Directory.Exists(directory));
        int p = cell.Pattern.Spec == "full" ? 0 : 1;
        return new CellMeasurement(TrainingOutcome.Completed, 2, new Dictionary<string, double> { ["accuracy"] = 0.5 + cell.Seed / 100.0 + p / 10.0 }, 0.1 * p, 1.0, 42);
    }

    [Fact]
    public void Run_RecordsEachCellOnce_AndARerunSkipsThem()
    {
        var runner = new ExperimentRunner(Spec(), Fake);
        Assert.All(runner.Cells, c => Assert.Equal(CellRunStatus.Recorded, runner.Run(c)));
        Assert.Equal(runner.Cells.Select(c => c.Id), _ran);

        var again = new ExperimentRunner(Spec(), Fake);
        Assert.Empty(again.Pending());
        Assert.All(again.Cells, c => Assert.Equal(CellRunStatus.AlreadyFinished, again.Run(c)));
        Assert.Equal(4, _ran.Count);

        var lines = runner.Results.ReadAll();
        Assert.Equal(runner.Cells.Select(c => c.Id), lines.Select(l => l.Id));
        var line = lines.Single(l => l.Id == "rte/local(1)/all/seed-2/pretrain-no");
        Assert.Equal((3, "local(1)", "accuracy", 0.5 + 0.02 + 0.1, 0.1), (line.Index, line.PatternSpec, line.PaperMetric, line.PaperValue!.Value, line.Sparsity!.Value));
    }

    [Fact]
    public void ACrashInsideACell_LeavesNoLine_AndTheRerunRunsOnlyThatCell()
    {
        var spec = Spec();
        var crashing = new ExperimentRunner(spec, (cell, dir, progress, status, token) =>
            cell.Index == 1 ? throw new InvalidOperationException("out of memory in the middle of cell 1") : Fake(cell, dir, progress, status, token));
        Assert.Equal(CellRunStatus.Recorded, crashing.Run(crashing.Cells[0]));
        Assert.Throws<InvalidOperationException>(() => crashing.Run(crashing.Cells[1]));
        Assert.Equal(CellRunStatus.Recorded, crashing.Run(crashing.Cells[2]));
        Assert.Equal(["rte/full/all/seed-1/pretrain-no", "rte/local(1)/all/seed-1/pretrain-no"], crashing.Results.ReadAll().Select(r => r.Id));

        _ran.Clear();
        var rerun = new ExperimentRunner(spec, Fake);
        foreach (var cell in rerun.Cells) rerun.Run(cell);
        Assert.Equal(["rte/full/all/seed-2/pretrain-no", "rte/local(1)/all/seed-2/pretrain-no"], _ran);
        Assert.Equal(4, rerun.Results.ReadAll().Count);
    }

    [Fact]
    public void AStoppedCell_IsNotRecorded()
    {
        var runner = new ExperimentRunner(Spec(), (cell, dir, progress, status, token) =>
            new CellMeasurement(TrainingOutcome.Cancelled, 1, new Dictionary<string, double>(), null, 0.5, null));
        Assert.Equal(CellRunStatus.Stopped, runner.Run(runner.Cells[0]));
        Assert.Empty(runner.Results.ReadAll());
        Assert.Equal(4, runner.Pending().Count);
    }

    [Fact]
    public void ADivergedCell_IsRecordedWithoutAPaperValue()
    {
        var runner = new ExperimentRunner(Spec(), (cell, dir, progress, status, token) =>
            new CellMeasurement(TrainingOutcome.NonFiniteLoss, 1, new Dictionary<string, double>(), null, 0.5, null));
        Assert.Equal(CellRunStatus.Recorded, runner.Run(runner.Cells[0]));
        var line = Assert.Single(runner.Results.ReadAll());
        Assert.Equal(("NonFiniteLoss", (double?)null), (line.Outcome, line.PaperValue));
    }

    [Fact]
    public void WhatALearnablePatternLearned_IsRecordedPerLayer_AndReadBack()
    {
        // AAA's Table 6 shares, a learned diagonal's offsets and learned degrees come from the dev evaluation; the grid
        // keeps no weights, so the results line is the only place they survive.
        var learned = new LearnedPatternReport("aaa(local=2)", [new LearnedLayerReport(0, 0.26, 0.36, 17894), new LearnedLayerReport(1, 0.0, 0.02, 17894)]);
        var offsets = new LearnedPatternReport("learned_diagonal(max_offset=4)", [new LearnedLayerReport(0, Offsets: [new LearnedOffsets(null, 0, [0, 1, 3])])]);
        var runner = new ExperimentRunner(Spec("[full, local(1)]"), (cell, dir, progress, status, token) =>
            new CellMeasurement(TrainingOutcome.Completed, 1, new Dictionary<string, double> { ["accuracy"] = 0.5 }, 0.8, 0.5, null)
            { Learned = cell.Seed == 1 ? learned : offsets });
        runner.Run(runner.Cells[0]);
        runner.Run(runner.Cells[1]);
        var lines = runner.Results.ReadAll();
        var aaa = lines.Single(l => l.Seed == 1).Learned!;
        Assert.Equal("aaa(local=2)", aaa.Spec);
        Assert.Equal([(0, 0.26, 0.36, 17894L), (1, 0.0, 0.02, 17894L)], aaa.Layers.Select(l => (l.Layer, l.RowShare!.Value, l.ColumnShare!.Value, l.Tokens!.Value)));
        var diagonal = Assert.Single(lines.Single(l => l.Seed == 2).Learned!.Layers);
        Assert.Equal([0, 1, 3], Assert.Single(diagonal.Offsets!).Offsets);
    }

    [Fact]
    public void ACellFolder_OfAnotherCell_IsNotResumed()
    {
        var first = new ExperimentRunner(Spec(), (cell, dir, progress, status, token) => throw new IOException("crash"));
        Assert.Throws<IOException>(() => first.Run(first.Cells[2]));   // leaves out/cell-2 claimed by local(1) seed 1

        var edited = new ExperimentRunner(Spec("[full, local(2), local(1)]"), Fake);
        var error = Assert.Throws<InvalidOperationException>(() => edited.Run(edited.Cells[2]));
        Assert.Contains("rte/local(1)/all/seed-1/pretrain-no", error.Message, StringComparison.Ordinal);
        Assert.Contains("new output folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(_ran);
    }

    [Fact]
    public void Cell_OutOfRange_SaysTheRange()
    {
        var runner = new ExperimentRunner(Spec(), Fake);
        var error = Assert.Throws<ArgumentException>(() => runner.Cell(4));
        Assert.Contains("0 to 3", error.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void FullOnALaterLayerSet_IsFullOnAll_TrainedOnce_KeepsItsIndex_AndIsReportedFromIt()
    {
        var spec = ExperimentSpec.Parse("""
            name: later
            output: out
            config: c.json
            tasks: [{name: rte, data: d}]
            patterns: [full, local(1)]
            layers: [all, {later: 6-11}]
            seeds: [1, 2]
            """, _dir);
        var runner = new ExperimentRunner(spec, Fake);

        // Indices follow the documented formula whether or not a cell is a repeat.
        Assert.Equal(8, runner.Cells.Count);
        Assert.Equal(["full", "full", "full", "full", "local(1)", "local(1)", "layers(6-11:local(1);*:full)", "layers(6-11:local(1);*:full)"],
            runner.Cells.Select(c => c.PatternSpec));
        Assert.Equal([null, null, 0, 1, null, null, null, null], runner.Cells.Select(c => c.SameAs));
        Assert.Equal([0, 1, 4, 5, 6, 7], runner.Pending().Select(c => c.Index));

        Assert.Equal([CellRunStatus.Recorded, CellRunStatus.Recorded, CellRunStatus.SameAsAnother, CellRunStatus.SameAsAnother],
            runner.Cells.Take(4).Select(c => runner.Run(c)));
        Assert.Equal(["rte/full/all/seed-1/pretrain-no", "rte/full/all/seed-2/pretrain-no"], _ran);
        foreach (var c in runner.Cells.Skip(4)) runner.Run(c);
        Assert.Empty(runner.Pending());

        // The later row of full is full's, so the local(1)-on-later row has a reference to be measured against.
        var report = ExperimentReport.Build(spec, runner.Results.ReadAll());
        var fullLater = report.Rows.Single(r => r.Pattern == "full" && r.Layers == "later");
        var localLater = report.Rows.Single(r => r.Pattern == "local(1)" && r.Layers == "later");
        Assert.Equal(0.515, fullLater.Entries[0]!.Performance, 12);
        Assert.Same(fullLater, report.ReferenceOf(localLater));
        Assert.Equal(0.1, report.Delta(localLater, 0)!.Value, 12);
        Assert.Equal(0, report.Missing);
    }

    [Fact]
    public void LearnableRowsWithTheSameSpec_ButAnotherTarget_AreNotRepeats()
    {
        var spec = ExperimentSpec.Parse("""
            config: c.json
            tasks: [{name: rte, data: d}]
            patterns:
              - {label: a, spec: aaa(local=2), match_sparsity_of: local(2)+global(2)}
              - {label: b, spec: aaa(local=2), match_sparsity_of: local(2)+global(1)}
              - {label: c, spec: aaa(local=2), target_sparsity: 0.5}
              - {label: d, spec: aaa(local=2), target_sparsity: 0.6}
              - {label: e, spec: aaa(local=2), target_sparsity: 0.6}
            """, _dir);
        Assert.Equal([null, null, null, null, 3], spec.Cells().Select(c => c.SameAs));
    }

    // Two grids on one task and budget, written as files: "base" trains full and local(1); "ablation" reuses it.
    private ExperimentSpec WriteGrids(string ablationBudget = "")
    {
        File.WriteAllText(Path.Combine(_dir, "base.yaml"), """
            config: c.json
            output: base-out
            tasks: [{name: rte, data: d}]
            patterns: [full, local(1)]
            seeds: [1, 2]
            """);
        var path = Path.Combine(_dir, "ablation.yaml");
        File.WriteAllText(path, $"""
            config: c.json
            output: ablation-out
            tasks: [{"{"}name: rte, data: d{"}"}]
            patterns: [full, {"{"}label: Neighbour, spec: local(1){"}"}, random(1)]
            layers: [all, {"{"}later: 6-11{"}"}]
            seeds: [1, 2]
            reuse: [base.yaml]
            {ablationBudget}
            """);
        return ExperimentSpec.Load(path);
    }

    [Fact]
    public void ACellAnotherGridFinished_IsCopiedFromIt_UnderThisGridsLabel_AndNotTrained()
    {
        WriteGrids();
        var baseRunner = new ExperimentRunner(ExperimentSpec.Load(Path.Combine(_dir, "base.yaml")), Fake);
        baseRunner.Run(baseRunner.Cells[0]);   // full, seed 1
        baseRunner.Run(baseRunner.Cells[3]);   // local(1), seed 2
        _ran.Clear();

        var ablation = WriteGrids();
        var runner = new ExperimentRunner(ablation, Fake);
        // full/all seed 1 and Neighbour/all seed 2 are finished in base; full/later is full/all (same as cell 0).
        var reusable = runner.Cells.Select(c => runner.Reusable(c)?.ReusedFrom).ToList();
        Assert.Equal(["base.yaml cell 0 (rte/full/all/seed-1/pretrain-no)", null, null, null, null,
            "base.yaml cell 3 (rte/local(1)/all/seed-2/pretrain-no)", null, null, null, null, null, null], reusable);

        Assert.Equal(CellRunStatus.Reused, runner.Run(runner.Cells[0]));
        Assert.Equal(CellRunStatus.Reused, runner.Run(runner.Cells[5]));
        Assert.Equal(CellRunStatus.AlreadyFinished, runner.Run(runner.Cells[5]));
        Assert.Empty(_ran);
        var copied = runner.Results.ReadAll().Single(r => r.Index == 5);
        Assert.Equal(("rte/Neighbour/all/seed-2/pretrain-no", "Neighbour", "all", "local(1)", 0.5 + 0.02 + 0.1),
            (copied.Id, copied.Pattern, copied.Layers, copied.PatternSpec, copied.PaperValue!.Value));

        // The other cells train here; the report reads the copies like any line and names where they came from.
        foreach (var cell in runner.Cells) runner.Run(cell);
        Assert.DoesNotContain("rte/full/all/seed-1/pretrain-no", _ran);
        Assert.DoesNotContain("rte/Neighbour/all/seed-2/pretrain-no", _ran);
        Assert.Equal(8, _ran.Count);   // 12 cells: 2 copied, 2 the same as an earlier cell (full on later is full)
        var report = ExperimentReport.Build(ablation, runner.Results.ReadAll());
        Assert.Equal(["rte/full/all/seed-1/pretrain-no", "rte/Neighbour/all/seed-2/pretrain-no"], report.Reused.Select(r => r.Id));
        Assert.Contains("- rte/Neighbour/all/seed-2/pretrain-no: base.yaml cell 3 (rte/local(1)/all/seed-2/pretrain-no)", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(0, report.Missing);
    }

    [Fact]
    public void AGridWithAnotherBudget_IsNotReused()
    {
        WriteGrids();
        var baseRunner = new ExperimentRunner(ExperimentSpec.Load(Path.Combine(_dir, "base.yaml")), Fake);
        foreach (var cell in baseRunner.Cells) baseRunner.Run(cell);
        var ablation = WriteGrids("budget: {learning_rate: 1e-4}");
        Assert.False(ablation.TrainsLike(baseRunner.Spec, pretrain: false));
        var runner = new ExperimentRunner(ablation, Fake);
        Assert.All(runner.Cells, c => Assert.Null(runner.Reusable(c)));
    }

    [Fact]
    public void AGridThatAlsoPretrains_ReusesTheCellsThatDoNot()
    {
        WriteGrids();
        var baseRunner = new ExperimentRunner(ExperimentSpec.Load(Path.Combine(_dir, "base.yaml")), Fake);
        baseRunner.Run(baseRunner.Cells[0]);
        var ablation = WriteGrids("pretrain: [no, yes]\npretraining: {corpus: corpus.txt}");
        var runner = new ExperimentRunner(ablation, Fake);
        Assert.Equal(["rte/full/all/seed-1/pretrain-no"], runner.Cells.Where(c => runner.Reusable(c) is not null).Select(c => c.Id));
    }

    [Theory]
    [InlineData("reuse: [missing.yaml]", "missing.yaml, which does not exist")]
    [InlineData("reuse: [self.yaml]", "names this spec itself")]
    public void AReuseEntry_ThatIsNoOtherSpec_IsAnErrorAtItsLine(string line, string expected)
    {
        var path = Path.Combine(_dir, "self.yaml");
        File.WriteAllText(path, $"config: c.json\ntasks: [{"{"}name: rte, data: d{"}"}]\npatterns: [full]\n{line}\n");
        var error = Assert.Throws<FormatException>(() => ExperimentSpec.Load(path));
        Assert.Contains("self.yaml:4:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
