// One kernel's fitted cost line in the auto kernel's model: time ≈ intercept + perRow·rows + perWork·work, in ms,
// where work is that kernel's multiply-adds (AttentionCostFeatures.WorkOf). Coefficients are never negative.
namespace Sieve.Kernels;

/// <summary>A kernel's time in milliseconds as a line in the number of query rows and of its own multiply-adds.</summary>
public sealed record KernelCost
{
    /// <summary>Creates a cost line; every coefficient must be finite and non-negative (a negative cost is meaningless).</summary>
    public KernelCost(double interceptMs, double perRowMs, double perWorkMs)
    {
        Check(interceptMs, nameof(interceptMs));
        Check(perRowMs, nameof(perRowMs));
        Check(perWorkMs, nameof(perWorkMs));
        (InterceptMs, PerRowMs, PerWorkMs) = (interceptMs, perRowMs, perWorkMs);
    }

    /// <summary>Fixed cost of a call (dispatch, allocation), ms.</summary>
    public double InterceptMs { get; }

    /// <summary>Cost per query row B·H·N (softmax bookkeeping, copies), ms.</summary>
    public double PerRowMs { get; }

    /// <summary>Cost per multiply-add of the kernel's score computation, ms.</summary>
    public double PerWorkMs { get; }

    /// <summary>The estimated time of <paramref name="kind"/> on a call of these features, ms.</summary>
    public double Estimate(AttentionKernelKind kind, AttentionCostFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return InterceptMs + (PerRowMs * features.Rows) + (PerWorkMs * features.WorkOf(kind));
    }

    private static void Check(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"a cost coefficient must be finite and at least 0, got {value}; rerun `sieve bench calibrate`.");
    }
}
