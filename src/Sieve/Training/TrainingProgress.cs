// One progress report of the trainer, for the CLI's live progress bar (the library itself never draws anything).
namespace Sieve.Training;

/// <summary>Where a training run stands after an optimizer step.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="MaxSteps">Optimizer steps of the whole run.</param>
/// <param name="Epoch">Fractional epoch (steps done / steps per epoch), as HF logs it.</param>
/// <param name="Loss">The mean loss of the step's micro-batches.</param>
/// <param name="LearningRate">The learning rate the step's update used.</param>
/// <param name="GradNorm">The global gradient norm before clipping.</param>
/// <param name="Sparsity">The mean measured sparsity ρ of the step, when the step function reports one.</param>
/// <param name="TokensPerSecond">Tokens per second since this run (or resume) started; 0 when tokens are not reported.</param>
/// <param name="Elapsed">Wall time since this run (or resume) started.</param>
/// <param name="Eta">Estimated wall time to the last step.</param>
public sealed record TrainingProgress(
    int Step,
    int MaxSteps,
    double Epoch,
    double Loss,
    double LearningRate,
    double GradNorm,
    double? Sparsity,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan Eta);
