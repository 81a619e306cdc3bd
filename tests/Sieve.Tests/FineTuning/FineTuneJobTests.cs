// Fine-tuning end to end on the real RTE files with a tiny model: the evaluation's ρ is Eq. 9 of the pattern on the
// real lengths, predictions come back in input order, the saved model reloads to the same dev result, and a run
// stopped half-way and resumed ends where an uninterrupted run ends; so does one with a mean-pooling head, which is
// recorded in config.json and run_settings.json and needs no pooler.
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Tests.Training;
using Sieve.TestSupport;
using Sieve.Tokenization;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.FineTuning;

[Collection(GlobalRandomCollection.Name)]
public sealed class FineTuneJobTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-finetune-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """{"model_type":"bert","vocab_size":30522,"hidden_size":16,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":32,"max_position_embeddings":64}""");
        return path;
    }

    private FineTuneOptions Options(string output, int steps = 4) => new()
    {
        Task = TaskDefinition.Parse("rte"),
        DataDirectory = Fixtures.PathOf("glue/RTE"),
        ConfigPath = Config(),
        VocabPath = Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"),
        Pattern = "local(1)+global(1)",
        MaxLength = 32,
        BatchSize = 8,
        MaxTrainExamples = 48,
        MaxEvalExamples = 24,
        Trainer = new TrainerOptions { OutputDir = Path.Combine(_dir, output), MaxSteps = steps, SaveSteps = 2, LearningRate = 1e-3, Seed = 5, TensorBoard = false },
    };

    [Fact]
    public void Evaluation_MeasuresEq9OfThePattern_AndKeepsInputOrder()
    {
        var task = TaskDefinition.Parse("rte");
        var tokenizer = SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"));
        var encoder = TaskEncoder.For(task, tokenizer, 24);
        var dev = TaskFileReader.Read(task, task.Layout(DataSplit.Dev)!, Fixtures.PathOf("glue/RTE/dev.tsv"));
        var examples = encoder.EncodeAll([.. dev.Examples.Take(10)]);
        manual_seed(1);
        using var model = new BertForSequenceClassification(BertConfig.Load(Config()) with { NumLabels = 2 });
        model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(1)") };
        var result = TaskEvaluator.Evaluate(model, task, examples, encoder.PadId, batchSize: 3);

        double expected = examples.Average(e => 1 - (3.0 * e.Context.Length - 2) / ((double)e.Context.Length * e.Context.Length));   // Local_1 keeps 3N − 2
        Assert.Equal(expected, result.Sparsity, 12);
        for (int i = 0; i < examples.Length; i++)
        {
            using var batch = TaskBatch.Collate([examples[i]], encoder.PadId, regression: false);
            using var logits = model.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts);
            Assert.Equal(logits.argmax(-1).item<long>(), (long)result.Predictions[i]);
        }
        double accuracy = examples.Select((e, i) => e.Target == result.Predictions[i] ? 1.0 : 0.0).Average();
        Assert.Equal(accuracy, result.Metric(Sieve.Metrics.MetricKind.Accuracy));
    }

    [Fact]
    public void Run_SavesAModelThatReloadsToTheSameDevResult_WithItsPattern()
    {
        var options = Options("straight");
        var result = FineTuneJob.Run(options);
        Assert.Equal(TrainingOutcome.Completed, result.Training.Outcome);
        Assert.Equal(4, result.Training.Step);
        Assert.Equal("local(1)+global(1)", result.Pattern);
        Assert.NotNull(result.Dev);
        Assert.InRange(result.Dev!.Sparsity, 0.5, 1.0);

        using var reloaded = BertCheckpoint.LoadForSequenceClassification(result.ModelDirectory!, out _);
        Assert.Equal(PatternSpec.Parse("local(1)+global(1)"), reloaded.Bert.Attention.Pattern);
        var task = options.Task;
        var encoder = TaskEncoder.For(task, SieveTokenizer.Create(options.VocabPath!), options.MaxLength);
        var dev = TaskFileReader.Read(task, task.Layout(DataSplit.Dev)!, Fixtures.PathOf("glue/RTE/dev.tsv"));
        var again = TaskEvaluator.Evaluate(reloaded, task, encoder.EncodeAll([.. dev.Examples.Take(24)]), encoder.PadId, 64);
        Assert.Equal(result.Dev.Predictions, again.Predictions);
        Assert.Equal(result.Dev.Sparsity, again.Sparsity, 12);
    }

    [Fact]
    public void ACasedModelFolder_StaysCased_InItsCheckpointsAndItsSavedModel()
    {
        // The tiny fixture model without its 3-label classifier (RTE has 2), marked cased by its tokenizer_config.json.
        var tiny = Fixtures.PathOf("tiny-bert");
        var source = Directory.CreateDirectory(Path.Combine(_dir, "cased-source")).FullName;
        using (var checkpoint = SafeTensorsCheckpoint.OpenDirectory(tiny))
        {
            var tensors = checkpoint.Names.Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal)).ToDictionary(k => k, checkpoint.Read);
            SafeTensorsWriter.Write(Path.Combine(source, SafeTensorsCheckpoint.SingleFileName), tensors);
            foreach (var t in tensors.Values) t.Dispose();
        }
        foreach (var file in new[] { "config.json", "vocab.txt" }) File.Copy(Path.Combine(tiny, file), Path.Combine(source, file));
        new TokenizerOptions { LowerCase = false }.Save(source);

        var result = FineTuneJob.Run(new FineTuneOptions
        {
            Task = TaskDefinition.Parse("rte"),
            DataDirectory = Fixtures.PathOf("glue/RTE"),
            ModelDirectory = source,
            MaxLength = 32,
            BatchSize = 4,
            MaxTrainExamples = 8,
            MaxEvalExamples = 4,
            Trainer = new TrainerOptions { OutputDir = Path.Combine(_dir, "cased"), MaxSteps = 2, SaveSteps = 1, Seed = 5, TensorBoard = false },
        });

        Assert.Equal(TrainingOutcome.Completed, result.Training.Outcome);
        foreach (var folder in new[] { result.ModelDirectory!, Path.Combine(_dir, "cased", "checkpoint-1") })
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, TokenizerOptions.ConfigFileName)));
            Assert.False(json.RootElement.GetProperty("do_lower_case").GetBoolean());
            Assert.Equal(40, json.RootElement.GetProperty("model_max_length").GetInt32());
            Assert.False(SieveTokenizer.FromCheckpoint(folder).Options.LowerCase);
        }
    }

    [Fact]
    public void StoppedAndResumed_EndsWhereAnUninterruptedRunEnds()
    {
        var straight = FineTuneJob.Run(Options("straight"));

        using var stop = new CancellationTokenSource();
        var progress = new Progress(p => { if (p.Step == 2) stop.Cancel(); });
        var first = FineTuneJob.Run(Options("resumed"), progress, cancellationToken: stop.Token);
        Assert.Equal(TrainingOutcome.Cancelled, first.Training.Outcome);
        Assert.Equal(2, first.Training.Step);
        var resumed = FineTuneJob.Run(Options("resumed") with { Resume = true });
        Assert.Equal(TrainingOutcome.Completed, resumed.Training.Outcome);

        var a = File.ReadAllBytes(Path.Combine(straight.ModelDirectory!, "model.safetensors"));
        var b = File.ReadAllBytes(Path.Combine(resumed.ModelDirectory!, "model.safetensors"));
        Assert.Equal(a, b);
        Assert.Equal(straight.Dev!.Predictions, resumed.Dev!.Predictions);
    }

    [Fact]
    public void LearnablePattern_MovesTowardsTheTargetSparsity_LogsTheHinge_AndSavesWhatItLearned()
    {
        var options = Options("learned", steps: 12) with
        {
            Pattern = "learned_diagonal(max_offset=8, level=task)+global(1)",
            PatternLearning = new GumbelOptions { LearningRate = 0.3, InitialLogit = 1 },
            SparsityTarget = new SparsityLoss { Target = 0.95, Alpha = 10 },
        };
        var result = FineTuneJob.Run(options);
        Assert.Equal(TrainingOutcome.Completed, result.Training.Outcome);
        Assert.Equal("learned_diagonal(max_offset=8,level=task)+global(1)", LearnableSpec.Parse(result.Pattern!).ToString());

        var steps = File.ReadLines(Path.Combine(options.Trainer.OutputDir, TrainingLog.FileName))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("sparsity_loss", out _)).ToList();
        Assert.Equal(12, steps.Count);
        Assert.All(steps, e => Assert.True(e.GetProperty("task_loss").GetDouble() > 0));
        // The hinge pushes ρ of the training gates up: the last steps are sparser than the first.
        double first = steps.Take(3).Average(e => e.GetProperty("sparsity").GetDouble());
        double last = steps.TakeLast(3).Average(e => e.GetProperty("sparsity").GetDouble());
        Assert.True(last > first + 0.1, $"ρ went from {first} to {last}");

        using var reloaded = BertCheckpoint.LoadForSequenceClassification(result.ModelDirectory!, out _);
        Assert.Equal(LearnableSpec.Parse(options.Pattern), reloaded.Bert.LearnedSpec);
        var hard = reloaded.Bert.Learned!.Harden();
        Assert.Contains("global(1)", hard.ToString(), StringComparison.Ordinal);
        Assert.InRange(result.Dev!.Sparsity, last - 0.3, 1.0);
    }

    [Fact]
    public void MatchSparsityOf_TrainsTowardsTheFixedPatternsRhoOnTheEncodedTrainingExamples_AndRecordsIt()
    {
        var notes = new List<string>();
        var options = Options("matched", steps: 1) with
        {
            Pattern = "aaa(local=1)",
            SparsityTarget = new SparsityLoss { Alpha = 2 },
            MatchSparsityOf = "local(2)+global(1)",
        };
        var result = FineTuneJob.Run(options, status: notes.Add);

        var task = TaskDefinition.Parse("rte");
        var tokenizer = SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"));
        var train = TaskFileReader.ReadTask(task, Fixtures.PathOf("glue/RTE")).First(s => s.Split == DataSplit.Train);
        var examples = TaskEncoder.For(task, tokenizer, 32).EncodeAll([.. train.Examples.Take(48)]);
        double expected = TrainingSparsity.Of(Sieve.Patterns.PatternSpec.Parse("local(2)+global(1)"), examples, layers: 1, heads: 2);   // Config()'s shape
        Assert.Equal(new SparsityLoss { Target = expected, Alpha = 2 }, result.SparsityTarget);
        Assert.Contains(notes, n => n.Contains("the ρ of local(2)+global(1) on the training examples", StringComparison.Ordinal));
        // The measured target is what the run records, so a resume compares against the number it trained with.
        Assert.Contains($"Target = {expected}", File.ReadAllText(Path.Combine(options.Trainer.OutputDir, RunFolder.SettingsFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void MatchSparsityOn_Dev_MeasuresTheTargetOnTheDevExamples_WhoseLengthsDifferFromTraining()
    {
        var notes = new List<string>();
        var options = Options("matched-on-dev", steps: 1) with
        {
            Pattern = "aaa(local=1)",
            SparsityTarget = new SparsityLoss { Alpha = 2 },
            MatchSparsityOf = "local(2)+global(1)",
            MatchSparsityOn = DataSplit.Dev,
        };
        var result = FineTuneJob.Run(options, status: notes.Add);

        var task = TaskDefinition.Parse("rte");
        var tokenizer = SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"));
        var splits = TaskFileReader.ReadTask(task, Fixtures.PathOf("glue/RTE"));
        double RhoOn(DataSplit split, int? take) => TrainingSparsity.Of(Sieve.Patterns.PatternSpec.Parse("local(2)+global(1)"),
            TaskEncoder.For(task, tokenizer, 32).EncodeAll([.. splits.First(s => s.Split == split).Examples.Take(take ?? int.MaxValue)]), layers: 1, heads: 2);
        double onDev = RhoOn(DataSplit.Dev, options.MaxEvalExamples);
        Assert.Equal(onDev, result.SparsityTarget!.Target, 12);
        Assert.NotEqual(RhoOn(DataSplit.Train, 48), onDev, 6);   // the two splits' lengths give different targets
        Assert.Contains(notes, n => n.Contains("the ρ of local(2)+global(1) on the dev examples", StringComparison.Ordinal));
        // AAA's gates read the input, so its penalty stays on the training batch's ρ.
        Assert.DoesNotContain(notes, n => n.StartsWith("sparsity penalty:", StringComparison.Ordinal));
    }

    [Fact]
    public void MatchSparsityOn_Dev_PenalisesAPatternThatIgnoresItsInputAtTheDevLengths()
    {
        var notes = new List<string>();
        var options = Options("matched-on-dev-lengths", steps: 2) with
        {
            Pattern = "learned_diagonal(max_offset=8, level=task)+global(1)",
            SparsityTarget = new SparsityLoss { Alpha = 2, Penalty = SparsityPenalty.TwoSided },
            MatchSparsityOf = "local(2)+global(1)",
            MatchSparsityOn = DataSplit.Dev,
        };
        var result = FineTuneJob.Run(options, status: notes.Add);
        Assert.Equal(TrainingOutcome.Completed, result.Training.Outcome);
        Assert.Contains(notes, n => n.StartsWith("sparsity penalty: ρ of the gates at 16 quantiles of the dev lengths", StringComparison.Ordinal));

        // Each step logs ρ at the dev lengths beside the batch's, and the two-sided penalty is α·|target − that ρ|.
        var steps = File.ReadLines(Path.Combine(options.Trainer.OutputDir, TrainingLog.FileName))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("sparsity_loss", out _)).ToList();
        Assert.Equal(2, steps.Count);
        double target = result.SparsityTarget!.Target;
        Assert.All(steps, e => Assert.Equal(2 * Math.Abs(target - e.GetProperty("penalty_sparsity").GetDouble()), e.GetProperty("sparsity_loss").GetDouble(), 5));
    }

    [Fact]
    public void MatchSparsityOn_Dev_WithoutADevSplit_IsRefusedBeforeTraining()
    {
        string data = Path.Combine(_dir, "train-only");
        Directory.CreateDirectory(data);
        File.Copy(Fixtures.PathOf("glue/RTE/train.tsv"), Path.Combine(data, "train.tsv"));
        var options = Options("no-dev") with
        {
            DataDirectory = data,
            Pattern = "aaa(local=1)",
            SparsityTarget = new SparsityLoss(),
            MatchSparsityOf = "local(1)",
            MatchSparsityOn = DataSplit.Dev,
        };
        var error = Assert.Throws<ArgumentException>(() => FineTuneJob.Run(options));
        Assert.Contains("to be matched on the dev split", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.Trainer.OutputDir) && Directory.EnumerateFileSystemEntries(options.Trainer.OutputDir).Any());
    }

    [Theory]
    [InlineData("aaa(local=1)", "linformer(k=4)", true, "match_sparsity_of does not take the attention variant")]
    [InlineData("aaa(local=1)", "local(1)", false, "give the penalty too")]
    [InlineData("local(2)", "local(1)", true, "trains a learnable pattern")]
    public void MatchSparsityOf_IsRefusedBeforeTraining_WhereItMeansNothing(string pattern, string match, bool penalty, string expected)
    {
        var options = Options("refused") with { Pattern = pattern, MatchSparsityOf = match, SparsityTarget = penalty ? new SparsityLoss() : null };
        var error = Assert.ThrowsAny<Exception>(() => FineTuneJob.Run(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.Trainer.OutputDir) && Directory.EnumerateFileSystemEntries(options.Trainer.OutputDir).Any());
    }

    [Fact]
    public void LearnablePattern_StoppedAndResumed_EndsWhereAnUninterruptedRunEnds()
    {
        FineTuneOptions Learned(string output) => Options(output) with
        {
            Pattern = "aaa(local=1)",
            PatternLearning = new GumbelOptions { LearningRate = 0.1, TemperatureStart = 2, TemperatureEnd = 0.5, AnnealingSteps = 4 },
            SparsityTarget = new SparsityLoss { Target = 0.8, Alpha = 1, Schedule = AlphaSchedule.LinearToHalf },
        };
        var straight = FineTuneJob.Run(Learned("straight"));
        using var stop = new CancellationTokenSource();
        var first = FineTuneJob.Run(Learned("resumed"), new Progress(p => { if (p.Step == 2) stop.Cancel(); }), cancellationToken: stop.Token);
        Assert.Equal(TrainingOutcome.Cancelled, first.Training.Outcome);
        var resumed = FineTuneJob.Run(Learned("resumed") with { Resume = true });
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory!, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory!, "model.safetensors")));
        Assert.Equal(straight.Dev!.Sparsity, resumed.Dev!.Sparsity);
    }

    [Fact]
    public void LearnablePattern_RefusesWhatCannotWork_BeforeTraining()
    {
        var noPattern = Assert.Throws<ArgumentException>(() => FineTuneJob.Run(Options("a") with { SparsityTarget = new SparsityLoss() }));
        Assert.Contains("learnable pattern", noPattern.Message, StringComparison.Ordinal);
        var frozen = Assert.Throws<ArgumentException>(() => FineTuneJob.Run(Options("b") with { Pattern = "learned_diagonal(max_offset=4, level=fixed)" }));
        Assert.Contains("freezes a learned diagonal mask", frozen.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "a")));
    }

    [Fact]
    public void MeanHead_IsSavedInConfigAndRunSettings_AndResumesWhereAnUninterruptedRunEnds()
    {
        FineTuneOptions Mean(string output) => Options(output) with { ClassifierPooling = ClassifierPooling.Mean };
        var notes = new List<string>();
        var straight = FineTuneJob.Run(Mean("straight"), status: notes.Add);
        Assert.Contains(notes, n => n.Contains("mean of the last hidden state", StringComparison.Ordinal));
        foreach (var folder in new[] { straight.ModelDirectory!, Path.Combine(_dir, "straight", "checkpoint-2") })
        {
            Assert.Equal(ClassifierPooling.Mean, BertCheckpoint.ReadConfig(folder).ClassifierPooling);
            using var checkpoint = SafeTensorsCheckpoint.OpenDirectory(folder);
            Assert.DoesNotContain(checkpoint.Names, k => k.Contains("pooler", StringComparison.Ordinal));
        }
        Assert.Equal("mean", RunFolder.ReadSettings(Path.Combine(_dir, "straight"))!["classifier_pooling"]);

        using var stop = new CancellationTokenSource();
        var first = FineTuneJob.Run(Mean("resumed"), new Progress(p => { if (p.Step == 2) stop.Cancel(); }), cancellationToken: stop.Token);
        Assert.Equal(TrainingOutcome.Cancelled, first.Training.Outcome);
        // Resuming with the HF head would train another model on these weights: refused, naming the setting.
        var other = Assert.Throws<RunFolderException>(() => FineTuneJob.Run(Options("resumed") with { Resume = true }));
        Assert.Contains("classifier_pooling was mean", other.Message, StringComparison.Ordinal);
        var resumed = FineTuneJob.Run(Mean("resumed") with { Resume = true });
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.ModelDirectory!, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed.ModelDirectory!, "model.safetensors")));
        Assert.Equal(straight.Dev!.Predictions, resumed.Dev!.Predictions);

        // The saved model, reloaded as evaluate loads it, predicts what the run's final evaluation did.
        using var reloaded = BertCheckpoint.LoadForSequenceClassification(straight.ModelDirectory!, out _);
        Assert.Equal(ClassifierPooling.Mean, reloaded.Pooling);
        var task = TaskDefinition.Parse("rte");
        var encoder = TaskEncoder.For(task, SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt")), 32);
        var dev = TaskFileReader.Read(task, task.Layout(DataSplit.Dev)!, Fixtures.PathOf("glue/RTE/dev.tsv"));
        var again = TaskEvaluator.Evaluate(reloaded, task, encoder.EncodeAll([.. dev.Examples.Take(24)]), encoder.PadId, 5);
        Assert.Equal(straight.Dev.Predictions, again.Predictions);
    }

    [Fact]
    public void MeanHead_FineTunesAModelWithoutPooler_WithoutInventingOne()
    {
        // tiny-bert without its pooler and its 3-label classifier, as snowflake-arctic-embed ships (no pooler, no head).
        var source = Directory.CreateDirectory(Path.Combine(_dir, "no-pooler")).FullName;
        var tiny = Fixtures.PathOf("tiny-bert");
        using (var checkpoint = SafeTensorsCheckpoint.OpenDirectory(tiny))
        {
            var tensors = checkpoint.Names.Where(k => !k.Contains("pooler", StringComparison.Ordinal) && !k.StartsWith("classifier.", StringComparison.Ordinal))
                .ToDictionary(k => k, checkpoint.Read);
            SafeTensorsWriter.Write(Path.Combine(source, SafeTensorsCheckpoint.SingleFileName), tensors);
            foreach (var t in tensors.Values) t.Dispose();
        }
        foreach (var file in new[] { "config.json", "vocab.txt" }) File.Copy(Path.Combine(tiny, file), Path.Combine(source, file));

        var notes = new List<string>();
        var result = FineTuneJob.Run(new FineTuneOptions
        {
            Task = TaskDefinition.Parse("rte"),
            DataDirectory = Fixtures.PathOf("glue/RTE"),
            ModelDirectory = source,
            ClassifierPooling = ClassifierPooling.Mean,
            MaxLength = 32,
            BatchSize = 4,
            MaxTrainExamples = 8,
            MaxEvalExamples = 4,
            Trainer = new TrainerOptions { OutputDir = Path.Combine(_dir, "no-pooler-run"), MaxSteps = 2, SaveSteps = 10, Seed = 5, TensorBoard = false },
        }, status: notes.Add);

        Assert.Equal(TrainingOutcome.Completed, result.Training.Outcome);
        var loaded = Assert.Single(notes, n => n.StartsWith("loaded ", StringComparison.Ordinal));
        Assert.EndsWith("newly initialised (not in the checkpoint, random until trained): classifier.weight, classifier.bias", loaded, StringComparison.Ordinal);
        Assert.Equal(ClassifierPooling.Mean, BertCheckpoint.ReadConfig(result.ModelDirectory!).ClassifierPooling);
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
    [Fact]
    public void Mnli_IsEvaluatedOnTheMatchedAndTheMismatchedDevSplit()
    {
        // MNLI's layout: sentence1/2 in columns 8 and 9, the gold label last; dev rows carry five annotator labels.
        var data = Directory.CreateDirectory(Path.Combine(_dir, "MNLI")).FullName;
        string Row(int i, string premise, string label, bool dev) => string.Join('\t',
            [$"{i}", "1", "1n", "fiction", "( x )", "( y )", "(ROOT x)", "(ROOT y)", premise, "The hypothesis.", .. dev ? Enumerable.Repeat(label, 5) : [label], label]);
        string[] labels = ["entailment", "neutral", "contradiction"];
        string Header(bool dev) => string.Join('\t', Enumerable.Range(0, dev ? 16 : 12).Select(c => $"column{c}"));
        string File(int rows, bool dev, string genre) => Header(dev) + "\n" + string.Join('\n', Enumerable.Range(0, rows).Select(i => Row(i, $"A {genre} premise number {i}.", labels[i % 3], dev))) + "\n";
        System.IO.File.WriteAllText(Path.Combine(data, "train.tsv"), File(16, dev: false, "train"));
        System.IO.File.WriteAllText(Path.Combine(data, "dev_matched.tsv"), File(6, dev: true, "matched"));
        System.IO.File.WriteAllText(Path.Combine(data, "dev_mismatched.tsv"), File(9, dev: true, "mismatched"));

        var result = FineTuneJob.Run(Options("mnli", steps: 2) with { Task = TaskDefinition.Parse("mnli"), DataDirectory = data, MaxEvalExamples = null });

        Assert.Equal(6, result.Dev!.Examples);
        Assert.Equal(9, result.DevMismatched!.Examples);
        var metrics = result.DevMetrics();
        Assert.Equal(result.Dev.Metric(Sieve.Metrics.MetricKind.Accuracy), metrics["accuracy"]);
        Assert.Equal(result.DevMismatched.Metric(Sieve.Metrics.MetricKind.Accuracy), metrics["accuracy" + FineTuneResult.MismatchedSuffix]);

        // Another task has no mismatched split, and no such metric.
        var rte = FineTuneJob.Run(Options("rte-only", steps: 2));
        Assert.Null(rte.DevMismatched);
        Assert.Equal(["accuracy"], rte.DevMetrics().Keys);
    }

    [SharedDataFact]
    public void Mnli_WithSyntax_ReadsTheParsesOfEachDevSplit_AndRefusesAMismatchedSplitWithout()
    {
        var data = Directory.CreateDirectory(Path.Combine(_dir, "MNLI-parsed")).FullName;
        string[] labels = ["entailment", "neutral", "contradiction"];
        string Premise(string genre, int i) => $"A {genre} premise number {i} .";
        string Row(int i, string genre, bool dev) => string.Join('\t',
            [$"{i}", "1", "1n", "fiction", "( x )", "( y )", "(ROOT x)", "(ROOT y)", Premise(genre, i), "The hypothesis .", .. dev ? Enumerable.Repeat(labels[i % 3], 5) : [labels[i % 3]], labels[i % 3]]);
        string Header(bool dev) => string.Join('\t', Enumerable.Range(0, dev ? 16 : 12).Select(c => $"column{c}"));
        // One chain-shaped parse per text (each word on the next, the last the root), text then hypothesis per row.
        string Chain(string text)
        {
            var words = text.Split(' ');
            return string.Join('\n', words.Select((w, k) => $"{k + 1}\t{w}\t_\t_\t_\t_\t{(k + 1 == words.Length ? 0 : k + 2)}\tdep\t_\t_"));
        }
        string Split(string name, int rows, bool dev, string genre)
        {
            File.WriteAllText(Path.Combine(data, $"{name}.tsv"), Header(dev) + "\n" + string.Join('\n', Enumerable.Range(0, rows).Select(i => Row(i, genre, dev))) + "\n");
            var parses = Path.Combine(data, $"{name}.conllu");
            File.WriteAllText(parses, string.Join("\n\n", Enumerable.Range(0, rows).SelectMany(i => new[] { Chain(Premise(genre, i)), Chain("The hypothesis .") })) + "\n\n");
            return parses;
        }
        var options = Options("mnli-syntax", steps: 2) with
        {
            Task = TaskDefinition.Parse("mnli"),
            DataDirectory = data,
            MaxEvalExamples = null,
            Pattern = "syntax(1)",
            TrainParses = Split("train", 16, dev: false, "train"),
            DevParses = Split("dev_matched", 6, dev: true, "matched"),
        };
        var mismatched = Split("dev_mismatched", 9, dev: true, "mismatched");

        var refused = Assert.Throws<ArgumentException>(() => FineTuneJob.Run(options));
        Assert.Contains("the dev_mismatched split", refused.Message, StringComparison.Ordinal);
        Assert.Contains("give --dev-mismatched-parses FILE", refused.Message, StringComparison.Ordinal);

        var result = FineTuneJob.Run(options with { DevMismatchedParses = mismatched });
        Assert.Equal(6, result.Dev!.Examples);
        Assert.Equal(9, result.DevMismatched!.Examples);
        Assert.InRange(result.DevMismatched.Sparsity, 0.3, 1.0);
    }
}
