// What the caller's step function returns for one micro-batch: the loss to back-propagate and what to log with it.
using static TorchSharp.torch;

namespace Sieve.Training;

/// <summary>The outcome of the forward pass on one micro-batch.</summary>
/// <param name="Loss">The scalar loss (the mean over the micro-batch); the trainer back-propagates and disposes it.</param>
public sealed record TrainStepResult(Tensor Loss)
{
    /// <summary>The number of (non-padding) tokens in the micro-batch, for tokens/s; 0 when unknown.</summary>
    public long Tokens { get; init; }

    /// <summary>The measured attention sparsity ρ (METHODS.md Eq. 9) of the micro-batch, when the model reports one.</summary>
    public double? Sparsity { get; init; }

    /// <summary>Further scalars to log (averaged over the micro-batches of a step), e.g. the task loss and the hinge term.</summary>
    public IReadOnlyDictionary<string, double>? Scalars { get; init; }
}
