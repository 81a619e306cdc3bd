// What a fine-tuning run reports: how training ended, the dev evaluation with measured ρ, the time and peak memory it
// took, and where the model was saved.
using Sieve.Training;

namespace Sieve.FineTuning;

/// <summary>The result of <see cref="FineTuneJob.Run"/>.</summary>
/// <param name="Training">How the trainer's run ended, with its checkpoints.</param>
/// <param name="Dev">The final evaluation on the dev split (null when the task folder has none or training did not complete).</param>
/// <param name="TrainingTime">Wall time of the training loop (this run or resume only).</param>
/// <param name="PeakBytes">The process's peak resident memory during training (null where /proc cannot say).</param>
/// <param name="ModelDirectory">The HF model directory of the final weights (null when training did not complete, or with SaveModel false).</param>
/// <param name="TrainExamples">Training examples used.</param>
/// <param name="SkippedRows">Malformed rows skipped while reading (with <c>SkipMalformedRows</c>).</param>
/// <param name="Pattern">The pattern the model trained with (its canonical spec), or null for HF's dense attention.</param>
public sealed record FineTuneResult(
    TrainingResult Training,
    EvaluationResult? Dev,
    TimeSpan TrainingTime,
    long? PeakBytes,
    string? ModelDirectory,
    int TrainExamples,
    int SkippedRows,
    string? Pattern)
{
    /// <summary>The final evaluation on MNLI's mismatched dev split (dev_mismatched.tsv); null for other tasks, or when the folder has none.</summary>
    public EvaluationResult? DevMismatched { get; init; }

    /// <summary>The sparsity penalty the run trained with, its target resolved (see <c>FineTuneOptions.MatchSparsityOf</c>); null without one.</summary>
    public Learnable.SparsityLoss? SparsityTarget { get; init; }

    /// <summary>
    /// The dev metrics by lower-case name (<c>accuracy</c>, <c>f1</c>, …), and for MNLI the mismatched split's as
    /// <c>accuracy_mismatched</c>: the papers report MNLI as matched/mismatched. Empty without a dev evaluation.
    /// </summary>
    public IReadOnlyDictionary<string, double> DevMetrics()
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var m in Dev?.Metrics ?? []) metrics[m.Kind.ToString().ToLowerInvariant()] = m.Value;
        foreach (var m in DevMismatched?.Metrics ?? []) metrics[m.Kind.ToString().ToLowerInvariant() + MismatchedSuffix] = m.Value;
        return metrics;
    }

    /// <summary>The suffix of a metric measured on MNLI's mismatched dev split.</summary>
    public const string MismatchedSuffix = "_mismatched";
}
