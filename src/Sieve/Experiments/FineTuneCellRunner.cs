// The real CellRunner: one FineTuneJob per cell with the grid's model, budget and the cell's task, pattern and seed,
// resuming from the newest checkpoint in the cell's folder. A `pretrain: yes` cell first pre-trains (PretrainJob, masked
// LM) with its own pattern into cell-K/pretrain — AAA's sparse pre-training — and fine-tunes from the model saved there.
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Pretraining;
using Sieve.Training;

namespace Sieve.Experiments;

/// <summary>Builds the <see cref="CellRunner"/> that (pre-trains and) fine-tunes with <see cref="PretrainJob"/> and <see cref="FineTuneJob"/>.</summary>
public static class FineTuneCellRunner
{
    /// <summary>The folder under a cell's folder where a <c>pretrain: yes</c> cell pre-trains.</summary>
    public const string PretrainFolder = "pretrain";

    /// <summary>The runner for <paramref name="spec"/>, with the real jobs.</summary>
    public static CellRunner For(ExperimentSpec spec) => For(spec, PretrainJob.Run, FineTuneJob.Run);

    /// <summary>
    /// The runner for <paramref name="spec"/> with the two phases injectable (tests pass fakes). A pretrain cell's
    /// pre-training phase is skipped when its final model exists, and resumed when a checkpoint of it exists.
    /// </summary>
    public static CellRunner For(ExperimentSpec spec,
        Func<PretrainOptions, IProgress<TrainingProgress>?, Action<string>?, CancellationToken, PretrainResult> pretrain,
        Func<FineTuneOptions, IProgress<TrainingProgress>?, Action<string>?, CancellationToken, FineTuneResult> fineTune)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pretrain);
        ArgumentNullException.ThrowIfNull(fineTune);
        return (cell, directory, progress, status, cancellationToken) =>
        {
            PretrainMeasurement? pretrained = null;
            string? pretrainedModel = null;
            long? pretrainPeak = null;
            if (cell.Pretrain)
            {
                var options = PretrainOptionsFor(spec, cell, directory);
                var folder = options.Trainer.OutputDir;
                pretrainedModel = Path.Combine(folder, PretrainJob.ModelFolder);
                if (IsModel(pretrainedModel))
                {
                    pretrained = PretrainMeasurement.Load(folder);
                    status?.Invoke($"{cell.Id}: pre-training already finished, fine-tuning from {pretrainedModel}");
                }
                else
                {
                    if (options.Resume) status?.Invoke($"{cell.Id}: resuming pre-training from {TrainerCheckpoint.Latest(folder)}");
                    else status?.Invoke($"{cell.Id}: pre-training with {cell.PatternSpec} on {options.DataPath} into {folder}");
                    var result = pretrain(options, progress, status, cancellationToken);
                    pretrained = new PretrainMeasurement(result.Training.Step, result.Validation?.ToDictionary() ?? new Dictionary<string, double>(),
                        result.TrainingTime.TotalSeconds);
                    pretrainPeak = result.PeakBytes;
                    if (result.Training.Outcome != TrainingOutcome.Completed)
                        // Cancelled: nothing is recorded and the rerun resumes the pre-training; diverged: recorded
                        // as such (a rerun would diverge again), with no fine-tuning.
                        return new CellMeasurement(result.Training.Outcome, 0, new Dictionary<string, double>(), null, 0, pretrainPeak) { Pretraining = pretrained };
                    pretrained.Save(folder);
                }
            }

            var measured = FineTune(spec, cell, directory, pretrainedModel, progress, status, cancellationToken, fineTune);
            return measured with
            {
                PeakBytes = pretrainPeak is long p && measured.PeakBytes is long f ? Math.Max(p, f) : measured.PeakBytes ?? pretrainPeak,
                Pretraining = pretrained,
            };
        };
    }

    /// <summary>The pre-training of <paramref name="cell"/>: the spec's model or config and corpus, the cell's pattern and seed, into <c>cell-K/pretrain</c>.</summary>
    /// <exception cref="InvalidOperationException">The spec has no <c>pretraining:</c> section.</exception>
    public static PretrainOptions PretrainOptionsFor(ExperimentSpec spec, ExperimentCell cell, string directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cell);
        var section = spec.Pretraining
            ?? throw new InvalidOperationException($"cell {cell.Index} ({cell.Id}) pre-trains, but the spec {spec.Name} has no 'pretraining:' section; add one with a 'corpus:' (see docs/EXPERIMENTS.md).");
        var folder = Path.Combine(directory, PretrainFolder);
        return new PretrainOptions
        {
            DataPath = section.CorpusPath,
            ValidationShare = section.ValidationShare,
            ModelDirectory = spec.ModelDirectory,
            ConfigPath = spec.ConfigPath,
            VocabPath = spec.VocabPath,
            Pattern = cell.PatternSpec,
            MaxLength = section.MaxLength,
            BatchSize = section.BatchSize,
            Masking = MlmMaskingOptions.Default with { Probability = section.MlmProbability },
            Resume = TrainerCheckpoint.Latest(folder) is not null,
            Trainer = new TrainerOptions
            {
                OutputDir = folder,
                MaxSteps = section.MaxSteps,
                Epochs = section.Epochs,
                LearningRate = section.LearningRate,
                Seed = cell.Seed,
                MetricForBestModel = "loss",
            },
        };
    }

    private static CellMeasurement FineTune(ExperimentSpec spec, ExperimentCell cell, string directory, string? pretrainedModel,
        IProgress<TrainingProgress>? progress, Action<string>? status, CancellationToken cancellationToken,
        Func<FineTuneOptions, IProgress<TrainingProgress>?, Action<string>?, CancellationToken, FineTuneResult> fineTune)
    {
        var task = TaskDefinition.Parse(cell.Task.Name);
        string? model = pretrainedModel ?? spec.ModelDirectory;
        var options = new FineTuneOptions
        {
            Task = task,
            DataDirectory = cell.Task.DataDirectory,
            // A pretrain cell continues from its own pre-trained model instead of the spec's model or config.
            ModelDirectory = model,
            ConfigPath = pretrainedModel is null ? spec.ConfigPath : null,
            VocabPath = spec.VocabPath,
            ClassifierPooling = spec.Budget.ClassifierPooling,
            GroupByLength = spec.Budget.GroupByLength,
            MaxLength = spec.Budget.MaxLength,
            BatchSize = spec.Budget.BatchSize,
            MaxTrainExamples = cell.Task.MaxTrainExamples,
            MaxEvalExamples = cell.Task.MaxEvalExamples,
            TrainParses = cell.Task.TrainParses,
            DevParses = cell.Task.DevParses,
            DevMismatchedParses = cell.Task.DevMismatchedParses,
            UnparsedRows = cell.Task.UnparsedRows,
            Resume = TrainerCheckpoint.Latest(directory) is not null,
            Trainer = new TrainerOptions
            {
                OutputDir = directory,
                MaxSteps = spec.Budget.MaxSteps,
                Epochs = spec.Budget.Epochs,
                LearningRate = spec.Budget.LearningRate,
                WarmupRatio = spec.Budget.WarmupRatio,
                WeightDecay = spec.Budget.WeightDecay,
                EvalSteps = spec.Budget.EvalSteps,
                Seed = cell.Seed,
                MetricForBestModel = task.PaperMetric.ToString().ToLowerInvariant(),
            },
        }.WithPattern(cell.PatternSpec, new Learnable.GumbelOptions { LearningRate = spec.Budget.PatternLearningRate }, cell.Pattern.Target,
            cell.Pattern.MatchSparsityOf, spec.Budget.GateBiasScale, cell.Pattern.MatchSparsityOn);
        if (options.Resume) status?.Invoke($"{cell.Id}: resuming from {TrainerCheckpoint.Latest(directory)}");
        var result = fineTune(options, progress, status, cancellationToken);
        return new CellMeasurement(result.Training.Outcome, result.Training.Step,
            result.DevMetrics(),
            result.Dev?.Sparsity, result.TrainingTime.TotalSeconds, result.PeakBytes)
        { Learned = result.Dev?.Learned };
    }

    // BertCheckpoint.Save renames a finished directory into place, so a config beside the weights means a whole model.
    private static bool IsModel(string directory) =>
        File.Exists(Path.Combine(directory, Checkpoints.BertCheckpoint.ConfigFileName))
        && File.Exists(Path.Combine(directory, Checkpoints.SafeTensorsCheckpoint.SingleFileName));
}
