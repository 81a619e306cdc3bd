// Parameters that train at their own learning rate, without weight decay: a learnable pattern's logits (METHODS.md
// §2.4: "the logits' own learning rate, no weight decay").
using TorchSharp.Modules;

namespace Sieve.Training;

/// <summary>
/// <paramref name="Parameters"/> in an AdamW group of their own with peak rate <paramref name="LearningRate"/> (the warm-up
/// and decay of the run scale it like every group) and weight decay 0.
/// </summary>
public sealed record OwnRateGroup(IReadOnlyList<Parameter> Parameters, double LearningRate);
