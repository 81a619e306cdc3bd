// The default demo: the pre-trained encoder fine-tuned on the bundled SST-2 sample, one run per (pattern, seed), each
// an ordinary fine-tuning job (FineTuneJob) without checkpoints or a saved model, then dev accuracy, measured ρ,
// training time and the process's peak memory per run. Learnable patterns train towards the ρ of a fixed one (AAA Table 4's "same ρ").
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Kernels;
using Sieve.Metrics;
using Sieve.Specs;
using Sieve.Training;

namespace Sieve.Demo;

/// <summary>Runs the SST-2 demo's grid of patterns × seeds.</summary>
public static class FineTuneDemoRunner
{
    private static readonly TaskDefinition _task = TaskDefinition.For(TaskKind.Sst2);

    /// <summary>
    /// Fine-tunes one model per pattern and seed of <paramref name="options"/>, the data and each run's training log
    /// under <paramref name="outputDirectory"/>; returns the runs in (pattern, seed) order and the ρ the learnable
    /// patterns were trained towards (null when there are none).
    /// </summary>
    public static (IReadOnlyList<DemoRun> Runs, double? TargetSparsity) Run(FineTuneDemoOptions options, string outputDirectory,
        IProgress<DemoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outputDirectory);
        options.Validate();
        // Every spec checked before any training.
        var patterns = options.Patterns.Select(AttentionSpec.Parse).ToArray();
        var data = Sst2Sample.WriteTo(Path.Combine(outputDirectory, "data"));
        // Without a target given, each learnable run's job measures the ρ of MatchSparsityOf on the dev sentences it encodes
        // (the same for every run: same sentences, tokenizer and model shape), where the table compares the patterns: on
        // SST-2's short training phrases local(2)+global(2) has about half its dev ρ, and AAA's ρ hardly moves with length.
        double? target = options.TargetSparsity;
        var penalty = target is double given ? options.Penalty with { Target = given } : options.Penalty;
        string? match = target is null ? options.MatchSparsityOf : null;

        var runs = new List<DemoRun>();
        int total = patterns.Length * options.Seeds.Count;
        foreach (var pattern in patterns)
        {
            foreach (int seed in options.Seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int index = runs.Count;
                double lastLoss = double.NaN;
                var sink = new SyncProgress<TrainingProgress>(p =>
                {
                    lastLoss = p.Loss;
                    progress?.Report(new DemoProgress(index, total, pattern.ToString(), seed, p));
                });
                progress?.Report(new DemoProgress(index, total, pattern.ToString(), seed, null));
                var job = JobOptions(options, seed, data, Path.Combine(outputDirectory, "runs", $"{index:00}-seed{seed}"))
                    .WithPattern(pattern.ToString(), options.PatternLearning, penalty, match, options.GateBiasScale, DataSplit.Dev);
                var result = FineTuneJob.Run(job, sink, status: null, cancellationToken);
                if (result.Training.Outcome == TrainingOutcome.Cancelled) throw new OperationCanceledException(result.Training.Message, cancellationToken);
                if (result.Training.Outcome != TrainingOutcome.Completed || result.Dev is null)
                    throw new InvalidOperationException($"the {pattern} run with seed {seed} stopped: {result.Training.Message}");
                if (pattern.Learnable is not null) target = result.SparsityTarget?.Target;
                runs.Add(new DemoRun(pattern.ToString(), seed, result.Dev.Metric(MetricKind.Accuracy) ?? double.NaN, result.Dev.Sparsity,
                    result.TrainingTime.TotalSeconds, result.PeakBytes, lastLoss));
            }
        }
        return (runs, patterns.Any(p => p.Learnable is not null) ? target : null);
    }

    private static FineTuneOptions JobOptions(FineTuneDemoOptions options, int seed, string data, string output) => new()
    {
        Task = _task,
        DataDirectory = data,
        ModelDirectory = options.ModelDirectory,
        ClassifierPooling = options.Pooling,
        Kernel = AttentionKernelKind.Auto,
        MaxLength = options.MaxLength,
        BatchSize = options.BatchSize,
        MaxTrainExamples = options.TrainExamples,
        MaxEvalExamples = options.DevExamples,
        GroupByLength = true,
        SaveModel = false,
        Trainer = new TrainerOptions
        {
            OutputDir = output,
            Epochs = options.Epochs,
            LearningRate = options.LearningRate,
            WarmupRatio = 0.1,
            Seed = seed,
            SaveCheckpoints = false,
            MetricForBestModel = "accuracy",
        },
    };
}
