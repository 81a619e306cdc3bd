// The real cell runner with its two phases faked (no training): a pretrain cell pre-trains with its own pattern into
// cell-K/pretrain and then fine-tunes from the model saved there, times add up, a finished pre-training is skipped
// on a rerun and a started one resumed, and a stopped or diverged pre-training records what it should.
using Sieve.Experiments;
using Sieve.FineTuning;
using Sieve.Metrics;
using Sieve.Pretraining;
using Sieve.TestSupport;
using Sieve.Training;

namespace Sieve.Tests.Experiments;

public sealed class FineTuneCellRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cellrunner-").FullName;
    private readonly List<string> _calls = [];
    private readonly List<PretrainOptions> _pretrained = [];
    private readonly List<FineTuneOptions> _fineTuned = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ExperimentSpec Spec() => ExperimentSpec.Parse("""
        name: fake
        output: out
        config: tiny/config.json
        vocab: vocab.txt
        tasks: [{name: rte, data: RTE}]
        patterns: [local(2)]
        seeds: [3]
        pretrain: [no, yes]
        pretraining: {corpus: corpus.txt, max_steps: 5, batch_size: 4, max_length: 16, mlm_probability: 0.2, validation_share: 0.1}
        budget: {max_steps: 2, batch_size: 8, max_length: 32}
        """, _dir);

    private string Cell(int k) => Path.Combine(_dir, "out", $"cell-{k}");

    // Pre-training "saves" a model where PretrainJob would (its final folder) and reports 5 steps in 3 s, MLM loss 2.5.
    private PretrainResult Pretrain(PretrainOptions options, IProgress<TrainingProgress>? progress, Action<string>? status, CancellationToken token)
    {
        _calls.Add($"pretrain {Path.GetRelativePath(_dir, options.Trainer.OutputDir)}");
        _pretrained.Add(options);
        var model = Directory.CreateDirectory(Path.Combine(options.Trainer.OutputDir, PretrainJob.ModelFolder)).FullName;
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        File.WriteAllText(Path.Combine(model, "model.safetensors"), "");
        return new PretrainResult(new TrainingResult(TrainingOutcome.Completed, 5, "done", null, null, null),
            new MlmEvaluation(2.5, 0.25, 40, 0.6, 2), TimeSpan.FromSeconds(3), 100, model, 18, 2, options.Pattern);
    }

    // Fine-tuning reports 2 steps in 2 s, accuracy 0.6 and ρ 0.7.
    private FineTuneResult FineTune(FineTuneOptions options, IProgress<TrainingProgress>? progress, Action<string>? status, CancellationToken token)
    {
        _calls.Add($"finetune {Path.GetRelativePath(_dir, options.Trainer.OutputDir)}");
        _fineTuned.Add(options);
        return new FineTuneResult(new TrainingResult(TrainingOutcome.Completed, 2, "done", null, null, null),
            new EvaluationResult([new MetricValue(MetricKind.Accuracy, 0.6)], 0.7, 0.5, 16, []), TimeSpan.FromSeconds(2), 50, null, 32, 0, options.Pattern);
    }

    [Fact]
    public void APretrainCell_PreTrainsWithItsPattern_ThenFineTunesFromThePretrainedModel()
    {
        var spec = Spec();
        var runner = new ExperimentRunner(spec, FineTuneCellRunner.For(spec, Pretrain, FineTune));
        Assert.All(runner.Cells, c => Assert.Equal(CellRunStatus.Recorded, runner.Run(c)));

        Assert.Equal(["finetune out/cell-0", "pretrain out/cell-1/pretrain", "finetune out/cell-1"], _calls);
        var pre = Assert.Single(_pretrained);
        Assert.Equal((Path.Combine(_dir, "corpus.txt"), Path.Combine(_dir, "tiny/config.json"), (string?)null, Path.Combine(_dir, "vocab.txt"), "local(2)"),
            (pre.DataPath, pre.ConfigPath, pre.ModelDirectory, pre.VocabPath, pre.Pattern));
        Assert.Equal((5, 1e-4, 3, "loss", false), (pre.Trainer.MaxSteps, pre.Trainer.LearningRate, pre.Trainer.Seed, pre.Trainer.MetricForBestModel, pre.Resume));
        Assert.Equal((4, 16, 0.2, 0.1), (pre.BatchSize, pre.MaxLength, pre.Masking.Probability, pre.ValidationShare));

        // The no cell starts from the spec's config; the yes cell from its own pre-trained model, same pattern and seed.
        Assert.Equal((Path.Combine(_dir, "tiny/config.json"), (string?)null), (_fineTuned[0].ConfigPath, _fineTuned[0].ModelDirectory));
        Assert.Equal(((string?)null, Path.Combine(Cell(1), "pretrain", "model")), (_fineTuned[1].ConfigPath, _fineTuned[1].ModelDirectory));
        Assert.All(_fineTuned, f => Assert.Equal(("local(2)", 3, 2, 32), (f.Pattern, f.Trainer.Seed, f.Trainer.MaxSteps, f.MaxLength)));

        var lines = runner.Results.ReadAll();
        var no = lines.Single(l => !l.Pretrain);
        Assert.Equal((2.0, 2.0, (double?)null, (int?)null), (no.TrainingSeconds, no.FineTuneSeconds, no.PretrainSeconds, no.PretrainSteps));
        Assert.Null(no.PretrainMetrics);
        var yes = lines.Single(l => l.Pretrain);
        Assert.Equal("rte/local(2)/all/seed-3/pretrain-yes", yes.Id);
        Assert.Equal((5.0, 2.0, (double?)3.0, (int?)5), (yes.TrainingSeconds, yes.FineTuneSeconds, yes.PretrainSeconds, yes.PretrainSteps));
        Assert.Equal((2, (double?)0.6, (double?)0.7, (long?)100), (yes.Steps, yes.PaperValue, yes.Sparsity, yes.PeakBytes));
        Assert.Equal(2.5, yes.PretrainMetrics!["loss"]);
        Assert.Equal(0.6, yes.PretrainMetrics["sparsity"]);
    }

    [Fact]
    public void AFinishedPretraining_IsSkippedOnTheRerun_AndKeepsItsTime()
    {
        var spec = Spec();
        var crashing = new ExperimentRunner(spec, FineTuneCellRunner.For(spec, Pretrain,
            (options, progress, status, token) => throw new IOException("the machine went away while fine-tuning")));
        Assert.Throws<IOException>(() => crashing.Run(crashing.Cells[1]));
        Assert.Empty(crashing.Results.ReadAll());
        Assert.True(File.Exists(Path.Combine(Cell(1), "pretrain", PretrainMeasurement.FileName)));

        _calls.Clear();
        var rerun = new ExperimentRunner(spec, FineTuneCellRunner.For(spec, Pretrain, FineTune));
        Assert.Equal(CellRunStatus.Recorded, rerun.Run(rerun.Cells[1]));
        Assert.Equal(["finetune out/cell-1"], _calls);
        Assert.Equal(Path.Combine(Cell(1), "pretrain", "model"), _fineTuned.Single().ModelDirectory);
        var line = Assert.Single(rerun.Results.ReadAll());
        Assert.Equal((5.0, (double?)3.0, (int?)5), (line.TrainingSeconds, line.PretrainSeconds, line.PretrainSteps));
    }

    [Fact]
    public void AStartedPretraining_IsResumed()
    {
        var checkpoint = Directory.CreateDirectory(Path.Combine(Cell(1), "pretrain", "checkpoint-2")).FullName;
        File.WriteAllText(Path.Combine(checkpoint, TrainerState.FileName), "{}");
        var spec = Spec();
        var runner = new ExperimentRunner(spec, FineTuneCellRunner.For(spec, Pretrain, FineTune));
        runner.Run(runner.Cells[1]);
        Assert.True(Assert.Single(_pretrained).Resume);
        Assert.False(Assert.Single(_fineTuned).Resume);
    }

    [Theory]
    [InlineData(TrainingOutcome.Cancelled)]
    [InlineData(TrainingOutcome.NonFiniteLoss)]
    public void AnUnfinishedPretraining_NeverFineTunes(TrainingOutcome outcome)
    {
        var spec = Spec();
        var runner = new ExperimentRunner(spec, FineTuneCellRunner.For(spec,
            (options, progress, status, token) => new PretrainResult(new TrainingResult(outcome, 1, "stopped", null, null, null), null,
                TimeSpan.FromSeconds(1), null, null, 18, 2, options.Pattern),
            FineTune));
        var status = runner.Run(runner.Cells[1]);
        Assert.Empty(_fineTuned);
        Assert.False(File.Exists(Path.Combine(Cell(1), "pretrain", PretrainMeasurement.FileName)));
        if (outcome == TrainingOutcome.Cancelled)
        {
            Assert.Equal(CellRunStatus.Stopped, status);
            Assert.Empty(runner.Results.ReadAll());
        }
        else
        {
            Assert.Equal(CellRunStatus.Recorded, status);
            var line = Assert.Single(runner.Results.ReadAll());
            Assert.Equal(("NonFiniteLoss", (double?)null, (int?)1), (line.Outcome, line.PaperValue, line.PretrainSteps));
        }
    }
    [Fact]
    public void TheBudgetsRecipe_ReachesEveryCellsFineTuning_AndTheDefaultsAreFinetunes()
    {
        var recipe = ExperimentSpec.Parse("""
            config: tiny/config.json
            tasks: [{name: rte, data: RTE}]
            patterns: [full, {spec: aaa(local=1), target_sparsity: 0.5}]
            budget: {epochs: 5, warmup_ratio: 0.1, weight_decay: 0.01, classifier_pooling: mean, group_by_length: yes,
                     eval_steps: 78, gate_bias_scale: 10, pattern_learning_rate: 0.1}
            """, _dir);
        var runner = new ExperimentRunner(recipe, FineTuneCellRunner.For(recipe, Pretrain, FineTune));
        runner.Run(runner.Cells[0]);
        runner.Run(runner.Cells[1]);
        Assert.Equal(10, _fineTuned[1].GateBiasScale);
        Assert.Equal(0.1, _fineTuned[1].PatternLearning!.LearningRate);
        var options = _fineTuned[0];
        Assert.Equal(5, options.Trainer.Epochs);
        Assert.Equal(0.1, options.Trainer.WarmupRatio);
        Assert.Equal(0.01, options.Trainer.WeightDecay);
        Assert.Equal(78, options.Trainer.EvalSteps);
        Assert.Equal(Sieve.Modeling.ClassifierPooling.Mean, options.ClassifierPooling);
        Assert.True(options.GroupByLength);
        // The learnable pattern's settings reach only a learnable row: a fixed pattern's run records the defaults.
        Assert.Equal(Sieve.Learnable.LearnablePattern.DefaultBiasScale, options.GateBiasScale);
        Assert.Null(options.PatternLearning);

        _fineTuned.Clear();
        var silent = ExperimentSpec.Parse("config: c.json\ntasks: [{name: rte, data: RTE}]\npatterns: [full]\noutput: silent\n", _dir);
        var silentRunner = new ExperimentRunner(silent, FineTuneCellRunner.For(silent, Pretrain, FineTune));
        silentRunner.Run(silentRunner.Cells[0]);
        var defaults = Assert.Single(_fineTuned);
        var finetune = new FineTuneOptions { Task = defaults.Task, DataDirectory = "d", Trainer = new TrainerOptions { OutputDir = "o" } };
        Assert.Equal((finetune.Trainer.WarmupRatio, finetune.Trainer.WeightDecay, finetune.Trainer.EvalSteps, finetune.GroupByLength, finetune.GateBiasScale),
            (defaults.Trainer.WarmupRatio, defaults.Trainer.WeightDecay, defaults.Trainer.EvalSteps, defaults.GroupByLength, defaults.GateBiasScale));
        Assert.Null(defaults.ClassifierPooling);
        Assert.Null(defaults.PatternLearning);
    }

    // A grid on 12 RTE pairs and a tiny config from scratch; rows is the YAML under patterns: (and any keys after it).
    private ExperimentSpec TinyRteGrid(string rows)
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"model_type":"bert","vocab_size":30522,"hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":16,"max_position_embeddings":64}""");
        return ExperimentSpec.Parse($$"""
            config: config.json
            vocab: {{Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt")}}
            tasks: [{name: rte, data: {{Fixtures.PathOf("glue/RTE")}}, max_train_examples: 12}]
            patterns:

            """ + rows, _dir);
    }

    [Fact]
    public void MatchSparsityOf_TrainsTowardsTheFixedPatternsRhoOnTheCellsTrainingExamples()
    {
        var spec = TinyRteGrid("""
              - {spec: aaa(local=1), match_sparsity_of: local(1)+global(1), alpha: 3}
            budget: {max_length: 40}
            """);
        var runner = new ExperimentRunner(spec, FineTuneCellRunner.For(spec, Pretrain, FineTune));
        runner.Run(runner.Cells[0]);

        // The cell asks the job to match the pattern's ρ; the job measures it on the examples it encodes for training.
        var options = Assert.Single(_fineTuned);
        Assert.Equal("local(1)+global(1)", options.MatchSparsityOf);
        Assert.Equal(Sieve.Data.DataSplit.Train, options.MatchSparsityOn);
        var target = FineTuneJob.Run(options with { SaveModel = false, MaxEvalExamples = 1, Trainer = options.Trainer with { MaxSteps = 1 } }).SparsityTarget!;
        var task = Sieve.Data.TaskDefinition.Parse("rte");
        var tokenizer = Sieve.Tokenization.SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"));
        var train = Sieve.Data.TaskFileReader.ReadTask(task, Fixtures.PathOf("glue/RTE")).First(s => s.Split == Sieve.Data.DataSplit.Train);
        var examples = TaskEncoder.For(task, tokenizer, 40).EncodeAll([.. train.Examples.Take(12)]);
        double expected = TrainingSparsity.Of(Sieve.Patterns.PatternSpec.Parse("local(1)+global(1)"), examples, 2, 2);
        Assert.Equal(expected, target.Target, 12);
        Assert.InRange(target.Target, 0.8, 0.99);   // 12 pairs truncated to 40 tokens: 1 − (5N − 6)/N² ≈ 0.89 at N = 40
        Assert.Equal(3, target.Alpha);
    }

    [Fact]
    public void MatchSparsityOn_Dev_ReachesTheJob_AndMakesADifferentCellFromTheTrainMatch()
    {
        var spec = TinyRteGrid("""
              - {label: on-train, spec: aaa(local=1), match_sparsity_of: local(1)+global(1)}
              - {label: on-dev, spec: aaa(local=1), match_sparsity_of: local(1)+global(1), match_sparsity_on: dev}
            """);
        Assert.Equal([Sieve.Data.DataSplit.Train, Sieve.Data.DataSplit.Dev], spec.Patterns.Select(p => p.MatchSparsityOn));
        var cells = spec.Cells();
        Assert.All(cells, c => Assert.Null(c.SameAs));   // the two targets differ, so neither cell stands in for the other
        var runner = new ExperimentRunner(spec, FineTuneCellRunner.For(spec, Pretrain, FineTune));
        runner.Run(cells[1]);
        Assert.Equal(Sieve.Data.DataSplit.Dev, Assert.Single(_fineTuned).MatchSparsityOn);
    }

    [Theory]
    [InlineData("{spec: aaa(local=1), match_sparsity_of: local(1), target_sparsity: 0.5}", "not both")]
    [InlineData("{spec: aaa(local=1), match_sparsity_of: aaa(local=2)}", "takes a fixed pattern")]
    [InlineData("{spec: local(1), match_sparsity_of: local(2)}", "is not one")]
    [InlineData("{spec: aaa(local=1), match_sparsity_on: dev, target_sparsity: 0.5}", "add match_sparsity_of")]
    [InlineData("{spec: aaa(local=1), match_sparsity_of: local(1), match_sparsity_on: test}", "takes train or dev")]
    public void MatchSparsityOf_IsRefusedWhereItMeansNothing(string row, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ExperimentSpec.Parse($"config: c.json\ntasks: [{{name: rte, data: d}}]\npatterns:\n  - {row}\n", _dir));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
