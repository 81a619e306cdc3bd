// α-entmax and sparsemax in place of softmax (Correia et al. 2019; Peters et al. 2019; METHODS.md §11): a bisection
// forward for any α in (1, 2], the closed form for α = 2, and the exact backward with respect to the scores and to α.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// α-entmax over the last dimension: p_j = [(α−1) z_j − τ]₊^{1/(α−1)} with τ such that Σ p = 1. α → 1 is softmax,
/// α = 2 is sparsemax. Entries far below the others get exactly 0.
/// </summary>
public static class Entmax
{
    /// <summary>The number of halvings of the bisection on τ: the bracket starts at width ≤ 1, so 2⁻⁵⁰ ≈ 1e-15.</summary>
    public const int DefaultIterations = 50;

    /// <summary>
    /// α-entmax of <paramref name="scores"/> by bisection. <paramref name="alpha"/> is broadcastable to the scores with
    /// a last dimension of 1 (e.g. [1, H, 1, 1] for one α per head), every value in (1, 2]; it may require a gradient.
    /// </summary>
    public static Tensor Bisect(Tensor scores, Tensor alpha, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (alpha.dim() != scores.dim() || alpha.shape[^1] != 1)
            throw new ArgumentException($"alpha must have the rank of the scores ({scores.dim()}) and a last dimension of 1, got [{string.Join(", ", alpha.shape)}]", nameof(alpha));
        return EntmaxFunction.apply(scores, alpha, iterations, false);
    }

    /// <summary>Sparsemax (α = 2) of <paramref name="scores"/> by the sort-based closed form.</summary>
    public static Tensor Sparsemax(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        using var two = Scalars.Full([.. Enumerable.Repeat(1L, (int)scores.dim())], 2.0, scores.dtype, scores.device);
        return EntmaxFunction.apply(scores, two, 0, true);
    }
}

/// <summary>The autograd node of <see cref="Entmax"/>: forward by bisection or the closed form, exact backward.</summary>
internal sealed class EntmaxFunction : autograd.SingleTensorFunction<EntmaxFunction>
{
    public override string Name => "Entmax";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (scores, alpha, iterations, closedForm) = ((Tensor)vars[0], (Tensor)vars[1], (int)vars[2], (bool)vars[3]);
        using var scope = NewDisposeScope();
        var y = closedForm ? SparsemaxForward(scores) : BisectForward(scores, alpha, iterations);  // [..., N]
        ctx.save_for_backward([y, alpha]);
        ctx.save_data("alphaGrad", !closedForm && alpha.requires_grad);
        return scope.MoveToOuter(y);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (y, alpha) = (saved[0], saved[1]);                                     // [..., N], [..., 1]
        using var scope = NewDisposeScope();
        // The Jacobian is diag(g) − g gᵀ / Σg with g = p^{2−α} on the support and 0 off it (Peters et al. 2019, §3).
        var support = y.gt(Scalars.Zero);                                           // [..., N]
        var g = where(support, y.pow(alpha.neg().Plus(2.0)), zeros_like(y));   // [..., N]
        var gSum = g.sum(-1, keepdim: true);                                        // [..., 1]
        var skewed = g / gSum;                                                      // [..., N]
        var gDy = g * grad_output;                                                  // [..., N]
        var dScores = gDy - (skewed * gDy.sum(-1, keepdim: true));                  // [..., N]
        Tensor dAlpha = null!;
        if ((bool)ctx.get_data("alphaGrad"))
        {
            // ∂p_j/∂α = (p_j − ĝ_j)/(α−1)² − (p_j ln p_j − ĝ_j Σ p ln p)/(α−1), ĝ = g/Σg: differentiate
            // p_j = ((α−1) z_j − τ)^{1/(α−1)} and use Σ_j ∂p_j/∂α = 0 to eliminate ∂τ/∂α (Correia et al. 2019, App. B).
            var pLogP = where(support, y * y.log(), zeros_like(y));                // [..., N]
            var entropy = pLogP.sum(-1, keepdim: true);                             // [..., 1]
            var am1 = alpha.sub(Scalars.One);                                       // [..., 1]
            var dpDalpha = ((y - skewed) / am1.pow(Scalars.Of(2))) - ((pLogP - (skewed * entropy)) / am1);   // [..., N]
            dAlpha = SumTo((grad_output * dpDalpha).sum(-1, keepdim: true), alpha.shape);        // alpha's shape
            dAlpha.MoveToOuterDisposeScope();
        }
        dScores.MoveToOuterDisposeScope();
        return [dScores, dAlpha, null!, null!];
    }

    private static Tensor BisectForward(Tensor scores, Tensor alpha, int iterations)
    {
        // Bisection on τ as in deep-spin/entmax: with x = (α−1) z, τ ∈ [max x − 1, max x − (1/d)^{α−1}], where the sum
        // of p is ≥ 1 at the low end and ≤ 1 at the high end; the final renormalisation absorbs the last half-step.
        var am1 = alpha.detach().sub(Scalars.One);                              // [..., 1]
        var exponent = am1.reciprocal();                                            // [..., 1]
        var x = scores.detach() * am1;                                              // [..., N]
        long d = scores.shape[^1];
        var max = x.amax([-1], keepdim: true);                                      // [..., 1]
        var lo = max.sub(Scalars.One);                                              // [..., 1]
        var width = (max - am1.Times(Math.Log(1.0 / d)).exp()) - lo;                // [..., 1]: (1/d)^{α−1}
        var fLo = P(x, lo, exponent).sum(-1, keepdim: true).sub(Scalars.One);   // [..., 1]
        Tensor p = null!;
        for (int i = 0; i < iterations; i++)
        {
            width = width.DividedBy(2.0);
            var mid = lo.add(width, Scalars.One);                                   // [..., 1]
            p = P(x, mid, exponent);                                                // [..., N]
            var fMid = p.sum(-1, keepdim: true).sub(Scalars.One);                   // [..., 1]
            lo = where((fMid * fLo).ge(Scalars.Zero), mid, lo);                     // [..., 1]
        }
        // A row whose every entry is far below (an all-padding row) sums to 0: it stays 0 instead of 0/0.
        return p / p.sum(-1, keepdim: true).ClampMin(1e-30);                        // [..., N]
    }

    private static Tensor P(Tensor x, Tensor tau, Tensor exponent) => (x - tau).clamp_min(Scalars.Zero).pow(exponent);

    private static Tensor SparsemaxForward(Tensor scores)
    {
        // Sort descending; the support is the largest k with 1 + k z_(k) > Σ_{j≤k} z_(j); τ = (Σ_{j≤k} z_(j) − 1)/k.
        var z = scores.detach();                                                    // [..., N]
        var sorted = z.sort(-1, descending: true).Values;                           // [..., N]
        var cumulative = sorted.cumsum(-1);                                         // [..., N]
        var ranks = arange(Scalars.Of(1), Scalars.Of(z.shape[^1] + 1), Scalars.Of(1), dtype: z.dtype, device: z.device);   // [N]
        var inSupport = (ranks * sorted).add(Scalars.One, Scalars.One).gt(cumulative);   // [..., N]
        var k = inSupport.sum(-1, keepdim: true).clamp_min(Scalars.Of(1));          // [..., 1] (int64)
        var tau = cumulative.gather(-1, k.sub(Scalars.Of(1))).sub(Scalars.One) / k.to_type(z.dtype);   // [..., 1]
        return (z - tau).clamp_min(Scalars.Zero);                                   // [..., N]
    }

    // The gradient of a broadcast input is the sum over the dimensions it was broadcast along.
    private static Tensor SumTo(Tensor gradient, long[] shape)
    {
        for (int dim = 0; dim < shape.Length; dim++)
            if (shape[dim] == 1 && gradient.shape[dim] != 1) gradient = gradient.sum(dim, keepdim: true);
        return gradient;
    }
}
