// The spec file and the grid it declares: the documented cell order and ids, the later-layers schedule, JSON read as
// YAML, relative paths, and errors that name the line.
using Sieve.Experiments;
using Sieve.Patterns;

namespace Sieve.Tests.Experiments;

public sealed class ExperimentSpecTests
{
    internal const string Grid = """
        name: grid
        output: runs/grid
        config: tiny/config.json
        tasks:
          - name: rte
            data: data/RTE
            max_train_examples: 64
          - name: MRPC
            data: /abs/MRPC
        patterns:
          - full
          - label: L2
            spec: local( 2 )
        layers:
          - all
          - later: 6-11
        seeds: [1, 2]
        pretrain: [no]
        budget: {max_steps: 2, batch_size: 8, max_length: 32, learning_rate: 1e-4}
        reference: full
        """;

    [Fact]
    public void Cells_FollowTheDocumentedOrder_WithStableIds()
    {
        var spec = ExperimentSpec.Parse(Grid, "/base");
        var cells = spec.Cells();

        Assert.Equal(2 * 2 * 2 * 2, cells.Count);
        string[] tasks = ["rte", "mrpc"], patterns = ["full", "L2"], layers = ["all", "later"];
        int[] seeds = [1, 2];
        // index = ((task·P + pattern)·L + layers)·S + seed, pretrain varying fastest (one value here).
        for (int t = 0; t < 2; t++)
            for (int p = 0; p < 2; p++)
                for (int l = 0; l < 2; l++)
                    for (int s = 0; s < 2; s++)
                    {
                        var cell = cells[((t * 2 + p) * 2 + l) * 2 + s];
                        Assert.Equal($"{tasks[t]}/{patterns[p]}/{layers[l]}/seed-{seeds[s]}/pretrain-no", cell.Id);
                        Assert.Equal(((t * 2 + p) * 2 + l) * 2 + s, cell.Index);
                    }
        Assert.Equal("rte/L2/all/seed-2/pretrain-no", cells[5].Id);
        Assert.Equal("cell-5", cells[5].DirectoryName);
        Assert.Equal(cells.Select(c => c.Id), ExperimentSpec.Parse(Grid, "/base").Cells().Select(c => c.Id));
        Assert.Equal(cells.Count, cells.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Spec_ResolvesPathsAgainstItsFolder_AndReadsTheBudget()
    {
        var spec = ExperimentSpec.Parse(Grid, "/base");

        Assert.Equal("/base/runs/grid", spec.OutputDirectory);
        Assert.Equal("/base/runs/grid/results.jsonl", spec.ResultsPath);
        Assert.Equal("/base/tiny/config.json", spec.ConfigPath);
        Assert.Null(spec.ModelDirectory);
        Assert.Equal(new ExperimentTask("rte", "/base/data/RTE", 64, null), spec.Tasks[0]);
        Assert.Equal(new ExperimentTask("mrpc", "/abs/MRPC"), spec.Tasks[1]);
        Assert.Equal(new ExperimentPattern("L2", "local(2)"), spec.Patterns[1]);
        Assert.Equal(2, spec.Budget.MaxSteps);
        Assert.Equal(8, spec.Budget.BatchSize);
        Assert.Equal(32, spec.Budget.MaxLength);
        Assert.Equal(1e-4, spec.Budget.LearningRate);
        Assert.Equal(3, spec.Budget.Epochs);
    }

    [Fact]
    public void LaterLayers_BecomeAScheduleThatParses_AndKeepsTheOtherLayersFull()
    {
        var cell = ExperimentSpec.Parse(Grid, "/base").Cells().Single(c => c.Id == "rte/L2/later/seed-1/pretrain-no");

        Assert.Equal("layers(6-11:local(2);*:full)", cell.PatternSpec);
        var parsed = (SchedulePattern)PatternSpec.Parse(cell.PatternSpec);
        Assert.Equal(cell.PatternSpec, parsed.ToString());
        for (int layer = 0; layer < 12; layer++)
            Assert.Equal(layer >= 6 ? "local(2)" : "full", parsed.PatternFor(layer, head: 0).ToString());
    }

    [Fact]
    public void LayerSet_ParsesRangeLists_AndRejectsOverlapsAndJunk()
    {
        var set = LayerSet.Parse("ends", "9-11, 0");
        Assert.Equal("0,9-11", set.RangeSpec);
        Assert.Equal("layers(0:global(1);9-11:global(1);*:full)", set.Apply(PatternSpec.Parse("global(1)")).ToString());
        Assert.True(LayerSet.Parse("every", "all").IsAll);
        Assert.Equal("local(1)", LayerSet.All.Apply(PatternSpec.Parse("local(1)")).ToString());
        Assert.Contains("overlapping", Assert.Throws<ArgumentException>(() => LayerSet.Parse("x", "0-5,5-7")).Message, StringComparison.Ordinal);
        Assert.Contains("6-11", Assert.Throws<FormatException>(() => LayerSet.Parse("x", "six")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_IsReadAsYaml_GivingTheSameGrid()
    {
        const string json = """
            {"name": "grid", "output": "runs/grid", "config": "tiny/config.json",
             "tasks": [{"name": "rte", "data": "data/RTE", "max_train_examples": 64}, {"name": "MRPC", "data": "/abs/MRPC"}],
             "patterns": ["full", {"label": "L2", "spec": "local( 2 )"}],
             "layers": ["all", {"later": "6-11"}], "seeds": [1, 2], "pretrain": [false],
             "budget": {"max_steps": 2, "batch_size": 8, "max_length": 32, "learning_rate": 1e-4}, "reference": "full"}
            """;
        Assert.Equal(ExperimentSpec.Parse(Grid, "/base").Cells(), ExperimentSpec.Parse(json, "/base").Cells(), new CellComparer());
    }

    [Theory]
    [InlineData("patterns:\n  - full\n  - spec: local(\n", "local(")]
    [InlineData("patterns: [full]\nseeds: [1]\nbatch: 3\n", "unknown key 'batch'")]
    [InlineData("patterns: [full]\npretrain: [maybe]\n", "pretrain takes no and/or yes")]
    [InlineData("patterns: [full]\nbudget: {classifier_pooling: max}\n", "classifier_pooling takes cls or mean, got 'max'")]
    [InlineData("patterns: [full]\nbudget: {group_by_length: often}\n", "group_by_length takes no or yes, got 'often'")]
    [InlineData("patterns: [full]\nbudget: {warmup_ratio: 2}\n", "budget warmup_ratio must be in [0, 1]")]
    [InlineData("patterns: [full, full]\n", "listed twice")]
    [InlineData("patterns: [full]\nreference: local(1)\n", "reference 'local(1)' is not one of the patterns")]
    [InlineData("patterns: [full]\nlayers: [{later: 6-x}]\n", "'6-x' is not a list of layer ranges")]
    public void Errors_NameTheFileLineAndField(string tail, string expected)
    {
        string text = "config: c.json\ntasks:\n  - {name: rte, data: d}\n" + tail;
        var error = Assert.Throws<FormatException>(() => ExperimentSpec.Parse(text, "/base", "my.yaml"));
        Assert.StartsWith("my.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pretraining_IsRead_WithDefaultsWhereSilent()
    {
        var spec = ExperimentSpec.Parse("""
            config: c.json
            tasks: [{name: rte, data: d}]
            patterns: [local(2)]
            pretrain: [no, yes]
            pretraining:
              corpus: text/wiki.txt
              max_steps: 100
              batch_size: 16
              mlm_probability: 0.2
            """, "/base");
        Assert.Equal(["rte/local(2)/all/seed-42/pretrain-no", "rte/local(2)/all/seed-42/pretrain-yes"], spec.Cells().Select(c => c.Id));
        var pretraining = spec.Pretraining!;
        Assert.Equal("/base/text/wiki.txt", pretraining.CorpusPath);
        Assert.Equal((100, 16, 0.2), (pretraining.MaxSteps, pretraining.BatchSize, pretraining.MlmProbability));
        // The defaults: run_mlm's 3 epochs and 5% held out, BERT's 128 tokens and 1e-4.
        Assert.Equal((3, 128, 1e-4, 0.05), (pretraining.Epochs, pretraining.MaxLength, pretraining.LearningRate, pretraining.ValidationShare));
        Assert.Null(ExperimentSpec.Parse("config: c\ntasks: [{name: rte, data: d}]\npatterns: [full]\n", "/b").Pretraining);
    }

    [Theory]
    [InlineData("pretrain: [no, yes]\n", 5, "no 'pretraining:' section")]
    [InlineData("pretrain: [yes]\npretraining: {max_steps: 2}\n", 6, "'corpus:' is missing")]
    [InlineData("pretrain: [yes]\npretraining:\n  corpus: t.txt\n  steps: 2\n", 8, "unknown key 'steps' in pretraining")]
    [InlineData("pretrain: [yes]\npretraining:\n  corpus: t.txt\n  mlm_probability: 1.5\n", 8, "mlm_probability must be in (0, 1]")]
    [InlineData("pretrain: [yes]\npretraining:\n  corpus: t.txt\n  validation_share: 1\n", 8, "validation_share must be in [0, 1)")]
    [InlineData("pretrain: [yes]\npretraining:\n  corpus: t.txt\n  max_length: 2\n", 8, "max_length must be at least 3")]
    [InlineData("pretrain: [yes]\npretraining:\n  corpus: t.txt\n  learning_rate: -1\n", 8, "learning_rate must be a positive number")]
    [InlineData("pretrain: [yes]\npretraining: [corpus.txt]\n", 6, "pretraining must be a mapping")]
    public void PretrainingErrors_NameTheLine(string tail, int line, string expected)
    {
        string text = "config: c.json\ntasks:\n  - {name: rte, data: d}\npatterns: [full]\n" + tail;
        var error = Assert.Throws<FormatException>(() => ExperimentSpec.Parse(text, "/base", "my.yaml"));
        Assert.StartsWith($"my.yaml:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_UnknownTask_AndNoModel()
    {
        var task = Assert.Throws<FormatException>(() => ExperimentSpec.Parse("config: c\ntasks: [{name: rtee, data: d}]\npatterns: [full]\n", "/b", "s.yaml"));
        Assert.Contains("s.yaml:2:", task.Message, StringComparison.Ordinal);
        Assert.Contains("rtee", task.Message, StringComparison.Ordinal);
        var model = Assert.Throws<FormatException>(() => ExperimentSpec.Parse("tasks: [{name: rte, data: d}]\npatterns: [full]\n", "/b", "s.yaml"));
        Assert.Contains("model:", model.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentedExamples_Load()
    {
        var examples = Path.Combine(TestSupport.SharedData.RepositoryRoot, "docs", "examples");
        var grid = ExperimentSpec.Load(Path.Combine(examples, "rte-sst2-patterns.yaml"));
        Assert.Equal(2 * 3 * 2 * 3, grid.Cells().Count);
        Assert.Equal("sst2/BigBird/later/seed-3/pretrain-no", grid.Cells()[^1].Id);
        Assert.Equal("layers(6-11:bigbird(1,3,2,seed=0);*:full)", grid.Cells()[^1].PatternSpec);
        Assert.Equal(Path.Combine(TestSupport.SharedData.RepositoryRoot, "runs", "rte-sst2-patterns"), grid.OutputDirectory);
        var tiny = ExperimentSpec.Load(Path.Combine(examples, "tiny-grid.yaml"));
        Assert.Equal(["rte/full/all/seed-1/pretrain-no", "rte/Local 2/all/seed-1/pretrain-no"], tiny.Cells().Select(c => c.Id));
        Assert.True(File.Exists(tiny.ConfigPath));
        Assert.Equal(Path.Combine(TestSupport.SharedData.RepositoryRoot, "corpora", "wiki-sentences.txt"), grid.Pretraining!.CorpusPath);
        var pretrain = ExperimentSpec.Load(Path.Combine(examples, "tiny-pretrain-grid.yaml"));
        Assert.Equal(["rte/Local 2/all/seed-1/pretrain-no", "rte/Local 2/all/seed-1/pretrain-yes"], pretrain.Cells().Select(c => c.Id));
        Assert.Equal(40, File.ReadAllLines(pretrain.Pretraining!.CorpusPath).Length);
    }

    // Cells hold LayerSet instances of their own spec; compare what a cell means.
    private sealed class CellComparer : IEqualityComparer<ExperimentCell>
    {
        public bool Equals(ExperimentCell? x, ExperimentCell? y) =>
            x!.Id == y!.Id && x.Index == y.Index && x.PatternSpec == y.PatternSpec && x.Task == y.Task && x.Pattern == y.Pattern;

        public int GetHashCode(ExperimentCell obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
