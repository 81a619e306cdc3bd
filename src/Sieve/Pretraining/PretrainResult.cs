// What a pre-training run reports: how training ended, the held-out MLM loss and accuracy with measured ρ, the time and
// peak memory it took, and where the model was saved (an HF directory that `sieve finetune --model` takes).
using Sieve.Training;

namespace Sieve.Pretraining;

/// <summary>The result of <see cref="PretrainJob.Run"/>.</summary>
/// <param name="Training">How the trainer's run ended, with its checkpoints.</param>
/// <param name="Validation">The final evaluation on the held-out lines (null without held-out lines or when training did not complete).</param>
/// <param name="TrainingTime">Wall time of the training loop (this run or resume only).</param>
/// <param name="PeakBytes">The process's peak resident memory during training (null where /proc cannot say).</param>
/// <param name="ModelDirectory">The HF model directory of the final weights (null when training did not complete).</param>
/// <param name="TrainLines">Corpus lines trained on.</param>
/// <param name="ValidationLines">Lines held out for evaluation.</param>
/// <param name="Pattern">The attention spec the model trained with (a pattern, variants or a schedule of both), or null for HF's dense attention.</param>
public sealed record PretrainResult(
    TrainingResult Training,
    MlmEvaluation? Validation,
    TimeSpan TrainingTime,
    long? PeakBytes,
    string? ModelDirectory,
    int TrainLines,
    int ValidationLines,
    string? Pattern);
