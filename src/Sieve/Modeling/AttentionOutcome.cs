// What the layers attended with on one batch, handed out with the forward's result instead of being left on the model.
using Sieve.Learnable;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// The attention side of one forward: the <paramref name="Layouts"/> the layers ran on (null on HF's dense path and
/// while a learnable pattern trains), ρ of a learnable pattern's training gates (<paramref name="LearnedSparsity"/>, AAA
/// Eq. 9: a differentiable [] tensor that the hinge of Eq. 10 reads; the caller's dispose scope owns it), and AAA
/// Table 6's per-layer <paramref name="AxisSelections"/> of an evaluation-mode aaa(...) forward.
/// </summary>
public sealed record AttentionOutcome(BatchLayouts? Layouts, Tensor? LearnedSparsity = null, IReadOnlyList<AxisSelection>? AxisSelections = null)
{
    /// <summary>HF's dense attention: no layouts, no gates.</summary>
    public static AttentionOutcome Dense { get; } = new(Layouts: null);

    /// <summary>ρ of AAA Eq. 9 of the batch: of the training gates when a learnable pattern trains, else of the layouts, 0 when dense.</summary>
    public double Sparsity => LearnedSparsity is { } rho ? rho.to_type(ScalarType.Float64).item<double>() : Layouts?.Sparsity ?? 0.0;
}
