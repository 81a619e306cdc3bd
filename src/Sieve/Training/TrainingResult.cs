// The end of a training run: how it ended, where it stopped and which checkpoints it left.
namespace Sieve.Training;

/// <summary>The result of a training run.</summary>
/// <param name="Outcome">How the run ended.</param>
/// <param name="Step">The optimizer steps done (the step of the last update applied).</param>
/// <param name="Message">A sentence for the user saying what happened and, on failure, what to do.</param>
/// <param name="LastCheckpoint">The newest checkpoint folder on disk, or null when none was written.</param>
/// <param name="BestCheckpoint">The checkpoint with the best evaluation metric, or null without evaluation.</param>
/// <param name="BestMetric">The value of the metric at <paramref name="BestCheckpoint"/>.</param>
public sealed record TrainingResult(
    TrainingOutcome Outcome,
    int Step,
    string Message,
    string? LastCheckpoint,
    string? BestCheckpoint,
    double? BestMetric);
