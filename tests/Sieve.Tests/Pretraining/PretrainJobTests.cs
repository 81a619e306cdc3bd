// Pre-training end to end on generated text: a run interrupted through its CancellationToken and resumed ends with
// the same weights, bit for bit, as a straight run; and the saved model is what fine-tuning continues from
// (sieve finetune --model output/model), with its encoder weights and its pattern.
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Kernels;
using Sieve.Pretraining;
using Sieve.Tests.Training;
using Sieve.Tokenization;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.Pretraining;

[Collection(GlobalRandomCollection.Name)]
public sealed class PretrainJobTests : IDisposable
{
    private const string Pattern = "local(1)+global(1)";
    private readonly PretrainTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private PretrainOptions Options(string run, bool resume = false) => new()
    {
        DataPath = _files.Corpus("corpus.txt", 40),
        ConfigPath = _files.ConfigPath,
        VocabPath = _files.VocabPath,
        Pattern = Pattern,
        Kernel = AttentionKernelKind.Reference,
        MaxLength = 16,
        BatchSize = 4,
        ValidationShare = 0.1,
        Resume = resume,
        Trainer = new TrainerOptions { OutputDir = Path.Combine(_files.Path, run), LearningRate = 1e-3, MaxSteps = 6, SaveSteps = 100, Seed = 5, TensorBoard = false },
    };

    [Fact]
    public void CancelledThenResumed_EndsWithTheWeightsOfAStraightRun()
    {
        var straight = PretrainJob.Run(Options("straight"));
        Assert.Equal(TrainingOutcome.Completed, straight.Training.Outcome);
        Assert.Equal(36, straight.TrainLines);
        Assert.Equal(4, straight.ValidationLines);
        Assert.Equal(Pattern, straight.Pattern);
        Assert.NotNull(straight.Validation);
        Assert.True(double.IsFinite(straight.Validation.Loss));

        using var stop = new CancellationTokenSource();
        var first = PretrainJob.Run(Options("interrupted"), new Synchronous(p => { if (p.Step == 3) stop.Cancel(); }), cancellationToken: stop.Token);
        Assert.Equal(TrainingOutcome.Cancelled, first.Training.Outcome);
        Assert.Equal(3, first.Training.Step);
        Assert.Null(first.ModelDirectory);

        var resumed = PretrainJob.Run(Options("interrupted", resume: true));
        Assert.Equal(TrainingOutcome.Completed, resumed.Training.Outcome);
        Assert.Equal(6, resumed.Training.Step);

        var a = File.ReadAllBytes(Path.Combine(straight.ModelDirectory!, SafeTensorsCheckpoint.SingleFileName));
        var b = File.ReadAllBytes(Path.Combine(resumed.ModelDirectory!, SafeTensorsCheckpoint.SingleFileName));
        Assert.Equal(a, b);
        Assert.Equal(straight.Validation.Loss, resumed.Validation!.Loss);

        // And training moved the weights: the resumed run is not equal merely because nothing changed.
        manual_seed(5);
        using var fresh = new Sieve.Modeling.BertForMaskedLM(PretrainTestFiles.Config);
        using var trained = BertCheckpoint.LoadForMaskedLM(straight.ModelDirectory!, out _);
        Assert.False(fresh.Bert.Embeddings.WordEmbeddings.weight!.allclose(trained.Bert.Embeddings.WordEmbeddings.weight!));
    }

    [Fact]
    public void SavedModel_IsWhatFineTuningStartsFrom()
    {
        var pretrained = PretrainJob.Run(Options("pretrain") with { Trainer = Options("pretrain").Trainer with { MaxSteps = 3 } });
        Assert.Equal(TrainingOutcome.Completed, pretrained.Training.Outcome);
        var saved = BertCheckpoint.ReadConfig(pretrained.ModelDirectory!);
        Assert.Equal(Pattern, saved.Sieve?.AttentionPattern);
        Assert.Equal(["BertForMaskedLM"], saved.Architectures);
        // The tokenizer travels too: tokenizer_config.json with the options the corpus was tokenized with (HF's defaults here).
        Assert.True(File.Exists(Path.Combine(pretrained.ModelDirectory!, TokenizerOptions.ConfigFileName)));
        Assert.Equal(TokenizerOptions.Default, TokenizerOptions.FromCheckpoint(pretrained.ModelDirectory!));

        var notes = new List<string>();
        var tuned = FineTuneJob.Run(new FineTuneOptions
        {
            Task = TaskDefinition.Parse("rte"),
            DataDirectory = _files.RteFolder(train: 12, dev: 6),
            ModelDirectory = pretrained.ModelDirectory,
            MaxLength = 24,
            BatchSize = 4,
            MaxTrainExamples = 8,
            // A vanishing learning rate: the fine-tuned encoder must still hold the pre-trained weights.
            Trainer = new TrainerOptions { OutputDir = Path.Combine(_files.Path, "finetune"), LearningRate = 1e-12, MaxSteps = 2, Seed = 3, TensorBoard = false, MetricForBestModel = "accuracy" },
        }, status: notes.Add);

        Assert.Equal(TrainingOutcome.Completed, tuned.Training.Outcome);
        Assert.Equal(Pattern, tuned.Pattern);   // the pattern travels with the saved model
        Assert.NotNull(tuned.Dev);
        Assert.Equal(6, tuned.Dev.Examples);
        Assert.Contains(notes, n => n.StartsWith("loaded ", StringComparison.Ordinal) && n.Contains("classifier", StringComparison.Ordinal));

        using var mlm = BertCheckpoint.LoadForMaskedLM(pretrained.ModelDirectory!, out _);
        using var classifier = BertCheckpoint.LoadForSequenceClassification(tuned.ModelDirectory!, out _);
        var before = mlm.Bert.Encoder.state_dict();
        var after = classifier.Bert.Encoder.state_dict();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (key, weight) in before)
            Assert.True(weight.allclose(after[key], rtol: 0, atol: 1e-6), $"{key} differs between the pre-trained and the fine-tuned encoder");
    }

    [Fact]
    public void ContinuingFromASavedModel_LoadsItsWeightsAndKeepsItsPattern_AndReadsASeparateValidationFile()
    {
        var first = PretrainJob.Run(Options("first") with { Trainer = Options("first").Trainer with { MaxSteps = 2 } });
        var notes = new List<string>();
        var second = PretrainJob.Run(Options("second") with
        {
            ConfigPath = null,
            VocabPath = null,            // the model directory's vocab.txt
            Pattern = null,              // the model's saved pattern
            ModelDirectory = first.ModelDirectory,
            ValidationPath = _files.Corpus("held-out.txt", 7, seed: 11),
            Trainer = Options("second").Trainer with { MaxSteps = 1 },
        }, status: notes.Add);

        Assert.Equal(TrainingOutcome.Completed, second.Training.Outcome);
        Assert.Equal(Pattern, second.Pattern);
        Assert.Equal(40, second.TrainLines);
        Assert.Equal(7, second.ValidationLines);
        Assert.Equal(7, second.Validation!.Lines);
        var loaded = Assert.Single(notes, n => n.StartsWith("loaded ", StringComparison.Ordinal));
        Assert.DoesNotContain("newly initialised", loaded, StringComparison.Ordinal);   // encoder and MLM head both came from the checkpoint
    }

    [Fact]
    public void Errors_SayWhatToDo()
    {
        var neither = Assert.Throws<ArgumentException>(() => PretrainJob.Run(Options("x") with { ConfigPath = null }));
        Assert.Contains("--config", neither.Message, StringComparison.Ordinal);
        var tooLong = Assert.Throws<ArgumentException>(() => PretrainJob.Run(Options("x") with { MaxLength = 64 }));
        Assert.Contains("position embeddings", tooLong.Message, StringComparison.Ordinal);
        var oneLine = _files.Write("one.txt", "w1 w2\n");
        var nothingLeft = Assert.Throws<ArgumentException>(() => PretrainJob.Run(Options("x") with { DataPath = oneLine }));
        Assert.Contains("--validation-share", nothingLeft.Message, StringComparison.Ordinal);
        var noCheckpoint = Assert.Throws<RunFolderException>(() => PretrainJob.Run(Options("empty", resume: true)));
        Assert.Contains("without --resume", noCheckpoint.Message, StringComparison.Ordinal);
    }

    private sealed class Synchronous(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
