// Training to a target sparsity (AAA §4.1–4.2): ρ of Eq. 9 computed differentiably from the training gates on real
// lengths (padding excluded), per layer and head, and the hinge of Eq. 10, L = L_task + α·max(0, ρ_target − ρ), or its
// two-sided form α·|ρ_target − ρ|.
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// The sparsity term of AAA Eq. 10 with its target, α maximum, α schedule and form (immutable, validated). The static
/// helpers compute Eq. 9: ρ = mean over examples, layers and heads of 1 − |B|/N_i², |B| summed over the N_i × N_i block.
/// </summary>
public sealed record SparsityLoss
{
    /// <summary>ρ_target in [0, 1] (default 0.8).</summary>
    public double Target
    {
        get;
        init
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(Target), value, $"the target sparsity must lie in [0, 1], got {value}.");
            field = value;
        }
    } = 0.8;

    /// <summary>The maximum of α (default 1; AAA raise it until the target is reached). Must be ≥ 0.</summary>
    public double Alpha
    {
        get;
        init
        {
            if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(Alpha), value, $"alpha must be a finite number >= 0, got {value}.");
            field = value;
        }
    } = 1.0;

    /// <summary>Constant α or linear to its maximum at half of training (default constant).</summary>
    public AlphaSchedule Schedule { get; init; } = AlphaSchedule.Constant;

    /// <summary>The hinge of Eq. 10 (default) or the two-sided distance.</summary>
    public SparsityPenalty Penalty { get; init; } = SparsityPenalty.Hinge;

    /// <summary>α at <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public double AlphaAt(long step, long totalSteps)
    {
        if (Schedule == AlphaSchedule.Constant) return Alpha;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        double half = totalSteps / 2.0;
        return Alpha * Math.Clamp(step / half, 0.0, 1.0);
    }

    /// <summary>
    /// α_t·max(0, ρ_target − ρ), or α_t·|ρ_target − ρ| for <see cref="SparsityPenalty.TwoSided"/>, for a scalar ρ (e.g.
    /// <see cref="Mean"/>), differentiable in ρ.
    /// </summary>
    public Tensor Loss(Tensor rho, long step, long totalSteps)
    {
        ArgumentNullException.ThrowIfNull(rho);
        using var scope = NewDisposeScope();
        var below = rho.neg().Plus(Target);                                // [] ρ_target − ρ
        var gap = Penalty == SparsityPenalty.Hinge ? below.relu() : below.abs();           // []
        return gap.Times(AlphaAt(step, totalSteps)).MoveToOuterDisposeScope();              // []
    }

    /// <summary>
    /// ρ per head of one layer: [H or 1], the mean over examples of 1 − Σ_{i,j &lt; N_i} g_ij / N_i². Gates are
    /// [B, H or 1, N, N]; entries outside the real block are ignored even if non-zero. Examples of length 0 are skipped.
    /// </summary>
    public static Tensor PerHead(Tensor gates, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(lengths);
        if (gates.Dimensions != 4 || gates.shape[0] != lengths.Count || gates.shape[2] != gates.shape[3])
            throw new ArgumentException($"gates must be [B, H or 1, N, N] with B = {lengths.Count} lengths, got [{string.Join(", ", gates.shape)}].", nameof(gates));
        long padded = gates.shape[2];
        if (lengths.Any(n => n < 0 || n > padded))
            throw new ArgumentOutOfRangeException(nameof(lengths), $"every real length must lie in [0, {padded}].");
        int counted = lengths.Count(n => n > 0);
        if (counted == 0) throw new ArgumentException("every example has length 0; Eq. 9 is undefined.", nameof(lengths));
        using var scope = NewDisposeScope();
        var valid = LearnablePattern.ValidMask([.. lengths], (int)padded, gates.dtype, gates.device);   // [B, 1, N, N]
        var kept = gates.mul(valid).sum([2L, 3L]);                                           // [B, H|1]
        var squares = tensor(lengths.Select(n => n == 0 ? 1.0 : (double)n * n).ToArray(), dtype: gates.dtype, device: gates.device); // [B]
        var counts = tensor(lengths.Select(n => n == 0 ? 0.0 : 1.0).ToArray(), dtype: gates.dtype, device: gates.device);             // [B]
        var rho = kept.div(squares.unsqueeze(1)).neg().add(Scalars.One, Scalars.One).mul(counts.unsqueeze(1));   // [B, H|1]
        return rho.sum([0L]).DividedBy(counted).MoveToOuterDisposeScope();                          // [H|1]
    }

    /// <summary>ρ of Eq. 9 across layers: the mean of every layer's per-head ρ (<see cref="PerHead"/>), a scalar.</summary>
    public static Tensor Mean(IEnumerable<Tensor> perHeadByLayer)
    {
        ArgumentNullException.ThrowIfNull(perHeadByLayer);
        var layers = perHeadByLayer.ToArray();
        if (layers.Length == 0) throw new ArgumentException("Eq. 9 needs at least one layer's ρ.", nameof(perHeadByLayer));
        using var scope = NewDisposeScope();
        // A layer whose heads share one gate tensor ([1]) counts as H equal heads: the mean over its heads is the same.
        var means = stack(layers.Select(r => r.mean()).ToArray());                          // [L]
        return means.mean().MoveToOuterDisposeScope();                                    // []
    }
}
