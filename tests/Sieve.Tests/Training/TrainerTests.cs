// The training loop end to end on a tiny regression model with dropout: exact resume after a crash or a cancellation,
// the stop on a NaN loss with the last good checkpoint intact, gradient accumulation, the schedule actually applied,
// the best checkpoint and rotation, and the JSONL log.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    private const int Examples = 12;
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-train-").FullName;
    private readonly Tensor _x;
    private readonly Tensor _y;

    public TrainerTests()
    {
        var generator = new Generator(7);
        _x = randn([Examples, 4], generator: generator);                       // [E, 4]
        _y = _x.matmul(tensor(new float[] { 1, -2, 0.5f, 3 })).unsqueeze(1);    // [E, 1]
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static nn.Module<Tensor, Tensor> Model(int initSeed, double dropout = 0.3)
    {
        random.manual_seed(initSeed);
        return nn.Sequential(("in", nn.Linear(4, 8)), ("act", nn.ReLU()), ("drop", nn.Dropout(dropout)), ("out", nn.Linear(8, 1)));
    }

    private TrainStepResult Step(nn.Module<Tensor, Tensor> model, int[] indices)
    {
        var index = tensor(indices.Select(i => (long)i).ToArray());
        var prediction = model.forward(_x.index_select(0, index));              // [b, 1]
        var loss = nn.functional.mse_loss(prediction, _y.index_select(0, index));
        return new TrainStepResult(loss.MoveToOuterDisposeScope()) { Tokens = indices.Length * 4L, Sparsity = 0.5, Scalars = new Dictionary<string, double> { ["b"] = indices.Length } };
    }

    private static ShuffledBatchSource<int[]> Batches(int batchSize = 3) => new(Examples, batchSize, indices => indices);

    // 12 examples, batches of 3, accumulation 2: 2 steps per epoch, 3 epochs = 6 steps.
    private TrainerOptions Options(string name, int saveSteps = 3) => new()
    {
        OutputDir = Path.Combine(_dir, name),
        LearningRate = 0.05,
        WeightDecay = 0.01,
        WarmupRatio = 0.2,
        GradientAccumulationSteps = 2,
        Epochs = 3,
        SaveSteps = saveSteps,
        Seed = 11,
    };

    private Trainer<int[]> Trainer(nn.Module<Tensor, Tensor> model, TrainerOptions options, Func<int[], TrainStepResult>? step = null,
        Func<IReadOnlyDictionary<string, double>>? evaluate = null, IProgress<TrainingProgress>? progress = null) =>
        new(model, options, Batches(), step ?? (b => Step(model, b)), evaluate) { Progress = progress };

    private static byte[] Weights(string checkpoint) => File.ReadAllBytes(Path.Combine(checkpoint, TrainerCheckpoint.ModelFile));

    private static List<double> LoggedLosses(string output) =>
        [.. File.ReadLines(Path.Combine(output, TrainingLog.FileName))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "train")
            .Select(r => r.GetProperty("loss").GetDouble())];

    private string Straight()
    {
        var options = Options("straight");
        using var model = Model(1);
        using var trainer = Trainer(model, options);
        var result = trainer.Train();
        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Equal(6, result.Step);
        return options.OutputDir;
    }

    [Fact]
    public void CrashAfterACheckpoint_ThenResume_GivesBitIdenticalWeights()
    {
        var straight = Straight();

        var options = Options("crashed");
        var calls = 0;
        using (var model = Model(1))
        using (var trainer = Trainer(model, options, b => ++calls > 8 ? throw new IOException("power cut") : Step(model, b)))
            Assert.Throws<IOException>(() => trainer.Train());   // dies in step 5, after checkpoint-3
        Assert.True(Directory.Exists(TrainerCheckpoint.PathOf(options.OutputDir, 3)));
        Assert.Equal(TrainerCheckpoint.PathOf(options.OutputDir, 3), TrainerCheckpoint.Latest(options.OutputDir));

        using (var model = Model(99))   // another initialisation: the weights must come from the checkpoint
        using (var trainer = Trainer(model, options))
        {
            var result = trainer.Resume(TrainerCheckpoint.Latest(options.OutputDir)!);
            Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        }

        Assert.Equal(Weights(TrainerCheckpoint.PathOf(straight, 6)), Weights(TrainerCheckpoint.PathOf(options.OutputDir, 6)));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(TrainerCheckpoint.PathOf(straight, 6), TrainerCheckpoint.OptimizerFile)),
            File.ReadAllBytes(Path.Combine(TrainerCheckpoint.PathOf(options.OutputDir, 6), TrainerCheckpoint.OptimizerFile)));
        // The log of the resumed run has each step once (the lost step 4 is not repeated) and the same losses.
        Assert.Equal(LoggedLosses(straight), LoggedLosses(options.OutputDir));
    }

    [Fact]
    public void Cancellation_SavesAtTheStepBoundary_AndResumeContinuesExactly()
    {
        var straight = Straight();

        var options = Options("cancelled", saveSteps: 100);   // only cancellation and the end write checkpoints
        using var cancel = new CancellationTokenSource();
        using (var model = Model(1))
        using (var trainer = Trainer(model, options, progress: new Synchronous(p => { if (p.Step == 2) cancel.Cancel(); })))
        {
            var result = trainer.Train(cancel.Token);
            Assert.Equal(TrainingOutcome.Cancelled, result.Outcome);
            Assert.Equal(2, result.Step);
            Assert.Equal(TrainerCheckpoint.PathOf(options.OutputDir, 2), result.LastCheckpoint);
        }
        using (var model = Model(5))
        using (var trainer = Trainer(model, options))
            Assert.Equal(TrainingOutcome.Completed, trainer.Resume(TrainerCheckpoint.PathOf(options.OutputDir, 2)).Outcome);

        Assert.Equal(Weights(TrainerCheckpoint.PathOf(straight, 6)), Weights(TrainerCheckpoint.PathOf(options.OutputDir, 6)));
    }

    [Fact]
    public void NaNLoss_StopsTheRun_AndLeavesTheLastGoodCheckpoint()
    {
        var options = Options("nan", saveSteps: 2);
        var calls = 0;
        using var model = Model(1);
        using var trainer = Trainer(model, options, b =>
        {
            var result = Step(model, b);
            return ++calls == 9 ? result with { Loss = result.Loss * double.NaN } : result;   // first batch of step 5
        });
        var outcome = trainer.Train();

        Assert.Equal(TrainingOutcome.NonFiniteLoss, outcome.Outcome);
        Assert.Equal(4, outcome.Step);
        var good = TrainerCheckpoint.PathOf(options.OutputDir, 4);
        Assert.Equal(good, outcome.LastCheckpoint);
        Assert.Contains("NaN", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(good, outcome.Message, StringComparison.Ordinal);
        Assert.Equal([2, 4], TrainerCheckpoint.List(options.OutputDir).Select(c => c.Step));
        // No update was applied: the model still holds exactly the weights of the last good checkpoint.
        using var file = SafeTensorsFile.Open(Path.Combine(good, TrainerCheckpoint.ModelFile));
        foreach (var (name, tensor) in model.state_dict())
        {
            using var saved = file.Read(name);
            Assert.Equal(saved.bytes.ToArray(), tensor.bytes.ToArray());
        }
    }

    [Fact]
    public void GradientAccumulation_EqualsOneBatchOfTheSameExamples()
    {
        // Without dropout, two accumulated micro-batches of 3 see the same examples as one batch of 6 (the epoch order
        // depends only on the seed and epoch) and the mean of two equal-size means is the mean: the same updates.
        Tensor Run(int batchSize, int accumulation, string name)
        {
            var options = Options(name) with { GradientAccumulationSteps = accumulation, TensorBoard = false };
            var model = Model(1, dropout: 0);
            using var trainer = new Trainer<int[]>(model, options, Batches(batchSize), b => Step(model, b));
            Assert.Equal(6, trainer.MaxSteps);
            trainer.Train();
            return cat(model.parameters().Select(p => p.detach().flatten()).ToList());
        }
        using var accumulated = Run(3, 2, "acc");
        using var whole = Run(6, 1, "whole");
        Assert.True(accumulated.allclose(whole, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void TheScheduleIsTheOneApplied_AndLogged()
    {
        var options = Options("schedule", saveSteps: 1);
        using var model = Model(1);
        var initial = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.bytes.ToArray());
        using var trainer = Trainer(model, options);
        trainer.Train();

        // 6 steps, warm-up ⌈0.2·6⌉ = 2: lr·[0, 1/2, 1, 3/4, 1/2, 1/4].
        var logged = File.ReadLines(Path.Combine(options.OutputDir, TrainingLog.FileName))
            .Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("type").GetString() == "train").ToList();
        Assert.Equal(new[] { 0, 0.025, 0.05, 0.0375, 0.025, 0.0125 }, logged.Select(r => r.GetProperty("learning_rate").GetDouble()), new Tolerance(1e-12));
        Assert.Equal(Enumerable.Range(1, 6), logged.Select(r => r.GetProperty("step").GetInt32()));
        Assert.All(logged, r => Assert.Equal(0.5, r.GetProperty("sparsity").GetDouble()));
        Assert.All(logged, r => Assert.Equal(3, r.GetProperty("b").GetDouble()));
        Assert.All(logged, r => Assert.True(r.GetProperty("grad_norm").GetDouble() > 0));
        // With lr 0 the first update changes nothing (not even the decay), so checkpoint-1 holds the initial weights.
        using var file = SafeTensorsFile.Open(Path.Combine(TrainerCheckpoint.PathOf(options.OutputDir, 1), TrainerCheckpoint.ModelFile));
        foreach (var (name, bytes) in initial)
        {
            using var saved = file.Read(name);
            Assert.Equal(bytes, saved.bytes.ToArray());
        }
        Assert.Single(Directory.GetFiles(Path.Combine(options.OutputDir, "runs"), "events.out.tfevents.*"));
    }

    [Fact]
    public void GradNorm_IsLoggedBeforeClipping_AndTheUpdateSeesTheClippedGradient()
    {
        const double maxNorm = 0.01;
        var options = Options("clip") with { MaxGradNorm = maxNorm, EvalSteps = 1, TensorBoard = false };
        var clippedNorms = new List<double>();
        using var model = Model(1, dropout: 0);
        // Gradients stay in place until the next step, so the evaluation callback sees what the optimizer used.
        using var trainer = Trainer(model, options, evaluate: () =>
        {
            clippedNorms.Add(Math.Sqrt(model.parameters().Sum(p => p.grad!.pow(2).sum().item<float>())));
            return new Dictionary<string, double> { ["loss"] = 0 };
        });

        // The first step's gradient computed independently: the mean of the two micro-batch losses of epoch 0.
        double expected;
        using (var reference = Model(1, dropout: 0))
        {
            var order = BatchOrder.Permutation(Examples, options.Seed, 0);
            using var loss = (Step(reference, order[..3]).Loss + Step(reference, order[3..6]).Loss) / 2;
            loss.backward();
            expected = Math.Sqrt(reference.parameters().Sum(p => p.grad!.pow(2).sum().item<float>()));
        }
        trainer.Train();

        var first = JsonDocument.Parse(File.ReadLines(Path.Combine(options.OutputDir, TrainingLog.FileName)).First()).RootElement;
        Assert.Equal(expected, first.GetProperty("grad_norm").GetDouble(), expected * 1e-5);
        Assert.True(expected > 10 * maxNorm);
        Assert.All(clippedNorms, n => Assert.Equal(maxNorm, n, 1e-6));
    }

    [Fact]
    public void BestCheckpoint_SurvivesRotation()
    {
        var options = Options("best", saveSteps: 1) with { EvalSteps = 1, SaveTotalLimit = 2 };
        double[] losses = [5, 3, 4, 6, 7, 8];
        var evaluations = 0;
        var modes = new List<bool>();
        using var model = Model(1);
        using var trainer = Trainer(model, options, evaluate: () =>
        {
            modes.Add(model.training);
            return new Dictionary<string, double> { ["loss"] = losses[evaluations++] };
        });
        var result = trainer.Train();

        Assert.Equal(6, evaluations);
        Assert.All(modes, Assert.False);   // evaluation runs in eval mode
        Assert.Equal(TrainerCheckpoint.PathOf(options.OutputDir, 2), result.BestCheckpoint);
        Assert.Equal(3, result.BestMetric);
        Assert.Equal([2, 5, 6], TrainerCheckpoint.List(options.OutputDir).Select(c => c.Step));
        var evalLines = File.ReadLines(Path.Combine(options.OutputDir, TrainingLog.FileName)).Where(l => l.Contains("\"eval\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, evalLines.Count);
        Assert.Equal(3, JsonDocument.Parse(evalLines[1]).RootElement.GetProperty("eval_loss").GetDouble());
    }

    [Fact]
    public void Resume_WithAnotherSeed_IsRefusedWithAClearMessage()
    {
        var options = Options("seed");
        using (var model = Model(1))
        using (var trainer = Trainer(model, options))
            trainer.Train();
        using var other = Model(1);
        using var again = Trainer(other, options with { Seed = 12 });
        var e = Assert.Throws<InvalidOperationException>(() => again.Resume(TrainerCheckpoint.PathOf(options.OutputDir, 3)));
        Assert.Contains("seed 11", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutCheckpoints_TheRunTrainsTheSameWeights_AndWritesNoCheckpoint()
    {
        var options = Options("nocheckpoints") with { SaveCheckpoints = false };
        using var model = Model(1);
        // With an evaluation the trainer tracks a best step, which must not be reported as a checkpoint on disk.
        using var trainer = Trainer(model, options, evaluate: () => new Dictionary<string, double> { ["loss"] = 0.5 });
        var result = trainer.Train();

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        Assert.Null(result.LastCheckpoint);
        Assert.Null(result.BestCheckpoint);
        Assert.Null(TrainerCheckpoint.Latest(options.OutputDir));
        Assert.Contains("no checkpoints written", result.Message, StringComparison.Ordinal);
        // The same steps as a run that saves: only the files differ.
        Assert.Equal(LoggedLosses(Straight()), LoggedLosses(options.OutputDir));
    }

    [Fact]
    public void A_huge_gradient_in_the_own_rate_group_does_not_freeze_the_models_update()
    {
        // The own-rate group stands for a learnable pattern's logits, whose straight-through gradients can be 10^12 times
        // the model's. Clipped jointly, the model's share fell below AdamW's ε and the encoder stopped learning.
        float[] FirstLayerAfterTraining(string name, double patternScale)
        {
            using var model = Model(1, dropout: 0);
            var own = model.parameters().Last();   // the output bias, as the "pattern" parameter
            var options = Options(name) with { MaxGradNorm = 1.0, WarmupRatio = 0 };
            using var trainer = new Trainer<int[]>(model, options, Batches(), b =>
            {
                var result = Step(model, b);
                return result with { Loss = result.Loss.add(own.sum().mul(tensor((float)patternScale))) };
            }, ownRate: new OwnRateGroup([own], 0.05));
            Assert.Equal(TrainingOutcome.Completed, trainer.Train().Outcome);
            return model.parameters().First().data<float>().ToArray();
        }

        using var initial = Model(1, dropout: 0);
        var start = initial.parameters().First().data<float>().ToArray();
        double Moved(float[] weights) => weights.Zip(start, (a, b) => Math.Abs(a - b)).Sum();
        double calm = Moved(FirstLayerAfterTraining("calm", 0)), loud = Moved(FirstLayerAfterTraining("loud", 1e12));
        Assert.True(loud > 0.5 * calm, $"the model's first layer moved {loud} with a huge pattern gradient, {calm} without");
    }

    [Fact]
    public void BatchOrder_IsAPermutation_FixedBySeedAndEpoch()
    {
        var a = BatchOrder.Permutation(50, 3, 0);
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
        Assert.Equal(a, BatchOrder.Permutation(50, 3, 0));
        Assert.NotEqual(a, BatchOrder.Permutation(50, 3, 1));
        Assert.NotEqual(a, BatchOrder.Permutation(50, 4, 0));
    }

    private sealed class Synchronous(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
