// How a BertModel attends (DESIGN.md §1, model layer): HF's dense attention, or a pattern (any spec, schedules
// included) computed by one of the exact kernels. The pattern is saved with a checkpoint; the kernel is a machine choice.
using Sieve.Kernels;
using Sieve.Patterns;

namespace Sieve.Modeling;

/// <summary>
/// The attention of every layer. With no <see cref="Pattern"/> the model runs HF's dense attention (attention dropout
/// included), which is what HF parity needs. With a pattern, each layer's layout comes from
/// <c>Pattern.ForLayerHead(layer, head)</c> and <see cref="Kernel"/> computes it; padding is part of the layout.
/// A model with a learnable pattern (<see cref="BertModel.Learned"/>) uses the kernel in evaluation, on the hardened
/// pattern; in training its gates go as a float bias to the Reference kernel when that is <see cref="Kernel"/>, else
/// to Sdpa (the sparse kernels take no bias).
/// </summary>
public sealed record AttentionSettings
{
    /// <summary>HF's dense attention: no pattern.</summary>
    public static AttentionSettings Dense { get; } = new();

    /// <summary>
    /// The pattern, or null for HF's dense path. Kernels apply no dropout to the attention probabilities (the sparse
    /// kernels cannot, as in HF BigBird's block-sparse mode), so that the kernel choice never changes a training run.
    /// </summary>
    public Pattern? Pattern { get; init; }

    /// <summary>The kernel that computes the pattern; every kind gives the same result, at different costs.</summary>
    public AttentionKernelKind Kernel { get; init; } = AttentionKernelKind.Auto;

    /// <summary>The run's seed for random patterns (mixed with each pattern's own seed, the example, layer and head).</summary>
    public ulong Seed { get; init; }

    /// <summary>What a row with no allowed key gets; by default its diagonal, so that every token keeps some context.</summary>
    public EmptyRowPolicy EmptyRows { get; init; } = EmptyRowPolicy.AddDiagonal;

    /// <summary>
    /// C of a learnable pattern's training bias (g − 1)·C (default 1e4, BERT's masked-score constant). Only a model with
    /// a learnable pattern in training mode reads it; a small C makes the soft relaxation smooth for gradient checks.
    /// </summary>
    public double GateBiasScale
    {
        get;
        init
        {
            if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(GateBiasScale), value, $"the gate bias scale must be a positive number, got {value}; 1e4 is BERT's masked-score constant.");
            field = value;
        }
    } = Learnable.LearnablePattern.DefaultBiasScale;
}
