// What a cell runner measured: how training ended, the dev metrics, ρ, time and memory, and for a pretrain cell what
// its pre-training phase did. The runner is injectable
// (a delegate), so a grid can be driven by a fake in tests and by FineTuneJob for real.
using Sieve.Learnable;
using Sieve.Training;

namespace Sieve.Experiments;

/// <summary>The measurements of one finished cell.</summary>
/// <param name="Outcome">How training ended; a <see cref="TrainingOutcome.Cancelled"/> cell is not recorded (it resumes on the next run).</param>
/// <param name="Steps">Optimizer steps done.</param>
/// <param name="Metrics">The dev metrics, lower-case names (<c>accuracy</c>, <c>f1</c>, …); empty without a dev evaluation.</param>
/// <param name="Sparsity">The measured ρ (AAA Eq. 9) over the dev split, or null without one.</param>
/// <param name="TrainingSeconds">Wall time of the fine-tuning loop (pre-training not included: see <see cref="Pretraining"/>).</param>
/// <param name="PeakBytes">Peak resident memory during training (both phases), or null where unknown.</param>
public sealed record CellMeasurement(TrainingOutcome Outcome, int Steps, IReadOnlyDictionary<string, double> Metrics, double? Sparsity,
    double TrainingSeconds, long? PeakBytes)
{
    /// <summary>What the pre-training phase of a <c>pretrain: yes</c> cell did; null for the other cells.</summary>
    public PretrainMeasurement? Pretraining { get; init; }

    /// <summary>What a learnable pattern learned, per layer, read on dev; null for a fixed pattern or without a dev evaluation.</summary>
    public LearnedPatternReport? Learned { get; init; }
}
