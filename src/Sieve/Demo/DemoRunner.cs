// The demo's experiment: small encoders trained from scratch on the needle task, one per (attention spec or learnable pattern, seed), with the
// same data and budget, then accuracy, measured ρ, training time and peak memory per run (AAA Table 2's comparison).
using System.Diagnostics;
using Sieve.Benchmarking;
using Sieve.Data;
using Sieve.Data.Needle;
using Sieve.FineTuning;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Demo;

/// <summary>Runs the demo's grid of patterns × seeds.</summary>
public static class DemoRunner
{
    /// <summary>
    /// Trains one model per pattern and seed of <paramref name="options"/>, logging each run under
    /// <paramref name="outputDirectory"/>/runs; returns the runs in (pattern, seed) order.
    /// </summary>
    public static IReadOnlyList<DemoRun> Run(DemoOptions options, string outputDirectory, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        options.Validate();
        // Every spec checked before any training: patterns, variants and schedules, or a learnable pattern.
        var patterns = options.Patterns.Select(AttentionSpec.Parse).ToArray();
        var train = Encode(NeedleTask.Generate(options.TrainExamples, options.Task, options.DataSeed));
        var dev = Encode(NeedleTask.Generate(options.DevExamples, options.Task, options.DataSeed + 1));
        var runs = new List<DemoRun>();
        int total = patterns.Length * options.Seeds.Count;
        foreach (var pattern in patterns)
        {
            foreach (int seed in options.Seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int index = runs.Count;
                var sink = progress is null ? null : new SyncProgress<TrainingProgress>(p => progress.Report(new DemoProgress(index, total, pattern.ToString(), seed, p)));
                progress?.Report(new DemoProgress(index, total, pattern.ToString(), seed, null));
                runs.Add(TrainOne(options, pattern, seed, train, dev, Path.Combine(outputDirectory, "runs", $"{index:00}-seed{seed}"), sink, cancellationToken));
            }
        }
        return runs;
    }

    /// <summary>The encoder config of the demo's model for <paramref name="options"/>.</summary>
    public static BertConfig ModelConfig(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BertSublayers.Apply(new BertConfig
        {
            VocabSize = NeedleTask.VocabSize(options.Task),
            HiddenSize = options.HiddenSize,
            NumHiddenLayers = options.Layers,
            NumAttentionHeads = options.Heads,
            IntermediateSize = 4 * options.HiddenSize,
            MaxPositionEmbeddings = options.Task.MaxLength,
            NumLabels = options.Task.Classes,
            HiddenDropoutProb = 0.0,
            AttentionProbsDropoutProb = 0.0,
        }, options.Sublayers);
    }

    private static DemoRun TrainOne(DemoOptions options, AttentionSpec pattern, int seed, EncodedExample[] train, EncodedExample[] dev,
        string output, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        manual_seed(seed);
        using var model = new BertForSequenceClassification(ModelConfig(options));
        if (pattern.Learnable is { } learnable)
        {
            model.Bert.UseLearnablePattern(learnable, options.PatternLearning);
            model.Bert.Attention = new AttentionSettings { Seed = (ulong)seed };
        }
        else
        {
            model.Bert.ApplyAttention(pattern, AttentionKernelKind.Auto, (ulong)seed);
        }
        var batches = new ShuffledBatchSource<TaskBatch>(train.Length, options.BatchSize,
            indices => TaskBatch.Collate([.. indices.Select(i => train[i])], NeedleTask.PadId, regression: false));
        var trainerOptions = new TrainerOptions
        {
            OutputDir = output,
            MaxSteps = options.Steps,
            LearningRate = options.LearningRate,
            WarmupRatio = 0.1,
            SaveSteps = options.Steps,
            SaveTotalLimit = 1,
            Seed = seed,
        };
        double lastLoss = double.NaN;
        var tracking = new SyncProgress<TrainingProgress>(p =>
        {
            lastLoss = p.Loss;
            progress?.Report(p);
        });
        var step = new ClassifierStep(model, options.SparsityTarget) { TotalSteps = options.Steps };
        using var trainer = new Trainer<TaskBatch>(model, trainerOptions, batches, step.Run, evaluate: null, step.PatternGroup)
        {
            Progress = tracking,
            BeforeStep = step.Begin,
        };

        PeakMemory.TryReset();
        long? start = PeakMemory.Resident();
        var clock = Stopwatch.StartNew();
        var result = trainer.Train(cancellationToken);
        clock.Stop();
        long? peak = PeakMemory.HighWaterMark() is long high && start is long low ? Math.Max(0, high - low) : null;
        if (result.Outcome == TrainingOutcome.Cancelled) throw new OperationCanceledException(result.Message, cancellationToken);
        if (result.Outcome != TrainingOutcome.Completed) throw new InvalidOperationException($"the {pattern} run with seed {seed} stopped: {result.Message}");

        // Scored like LRA's classification tasks: accuracy over the held-out examples.
        var evaluation = TaskEvaluator.Evaluate(model, TaskDefinition.For(TaskKind.Text), dev, NeedleTask.PadId, batchSize: 64);
        return new DemoRun(pattern.ToString(), seed, evaluation.Metric(Metrics.MetricKind.Accuracy) ?? double.NaN, evaluation.Sparsity,
            clock.Elapsed.TotalSeconds, peak, lastLoss);
    }

    // Example i of a split is data-set index i, so random patterns draw per example; [CLS] is the special token.
    private static EncodedExample[] Encode(NeedleExample[] examples) =>
        [.. examples.Select((e, i) => new EncodedExample(e.Ids, new int[e.Ids.Length],
            new PatternContext(e.Ids.Length) { Example = i, SpecialTokens = [0] }, e.Label))];
}
