// The real CellRunner: one FineTuneJob per cell with the grid's model, budget and the cell's task, pattern and seed,
// resuming from the newest checkpoint in the cell's folder. Pre-training before fine-tuning is not available yet.
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Training;

namespace Sieve.Experiments;

/// <summary>Builds the <see cref="CellRunner"/> that fine-tunes with <see cref="FineTuneJob"/>.</summary>
public static class FineTuneCellRunner
{
    /// <summary>Whether cells with <c>pretrain: yes</c> can run (a pre-training job is not in Sieve yet).</summary>
    public const bool PretrainingAvailable = false;

    /// <summary>Throws when one of <paramref name="cells"/> needs what this runner cannot do, before anything trains.</summary>
    /// <exception cref="NotSupportedException">A cell asks for pre-training.</exception>
    public static void CheckSupported(IEnumerable<ExperimentCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var cell = cells.FirstOrDefault(c => c.Pretrain && !PretrainingAvailable);
        if (cell is not null)
            throw new NotSupportedException($"cell {cell.Index} ({cell.Id}) asks for pre-training, which is not available yet in Sieve; set 'pretrain: [no]' in the spec, or run only the pretrain-no cells with --cell.");
    }

    /// <summary>The runner for <paramref name="spec"/>.</summary>
    public static CellRunner For(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (cell, directory, progress, status, cancellationToken) =>
        {
            CheckSupported([cell]);
            var task = TaskDefinition.Parse(cell.Task.Name);
            var options = new FineTuneOptions
            {
                Task = task,
                DataDirectory = cell.Task.DataDirectory,
                ModelDirectory = spec.ModelDirectory,
                ConfigPath = spec.ConfigPath,
                VocabPath = spec.VocabPath,
                Pattern = cell.PatternSpec,
                MaxLength = spec.Budget.MaxLength,
                BatchSize = spec.Budget.BatchSize,
                MaxTrainExamples = cell.Task.MaxTrainExamples,
                MaxEvalExamples = cell.Task.MaxEvalExamples,
                Resume = TrainerCheckpoint.Latest(directory) is not null,
                Trainer = new TrainerOptions
                {
                    OutputDir = directory,
                    MaxSteps = spec.Budget.MaxSteps,
                    Epochs = spec.Budget.Epochs,
                    LearningRate = spec.Budget.LearningRate,
                    Seed = cell.Seed,
                    MetricForBestModel = task.PaperMetric.ToString().ToLowerInvariant(),
                },
            };
            if (options.Resume) status?.Invoke($"{cell.Id}: resuming from {TrainerCheckpoint.Latest(directory)}");
            var result = FineTuneJob.Run(options, progress, status, cancellationToken);
            return new CellMeasurement(result.Training.Outcome, result.Training.Step,
                result.Dev?.Metrics.ToDictionary(m => m.Kind.ToString().ToLowerInvariant(), m => m.Value) ?? new Dictionary<string, double>(),
                result.Dev?.Sparsity, result.TrainingTime.TotalSeconds, result.PeakBytes);
        };
    }
}
