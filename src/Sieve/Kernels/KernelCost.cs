// One kernel's fitted cost line in the auto kernel's model: time ≈ intercept + perRow·rows + perWork·work +
// perMaskedWork·maskedWork, in ms, where work is that kernel's multiply-adds (AttentionCostFeatures.WorkOf) and maskedWork
// the part of them that also pays for a mask (only BlockSparse has one). Coefficients are never negative.
namespace Sieve.Kernels;

/// <summary>A kernel's time in milliseconds as a line in the number of query rows and of its own multiply-adds.</summary>
public sealed record KernelCost
{
    /// <summary>Creates a cost line; every coefficient must be finite and non-negative (a negative cost is meaningless).</summary>
    public KernelCost(double interceptMs, double perRowMs, double perWorkMs, double perMaskedWorkMs = 0)
    {
        Check(interceptMs, nameof(interceptMs));
        Check(perRowMs, nameof(perRowMs));
        Check(perWorkMs, nameof(perWorkMs));
        Check(perMaskedWorkMs, nameof(perMaskedWorkMs));
        (InterceptMs, PerRowMs, PerWorkMs, PerMaskedWorkMs) = (interceptMs, perRowMs, perWorkMs, perMaskedWorkMs);
    }

    /// <summary>Fixed cost of a call (dispatch, allocation), ms.</summary>
    public double InterceptMs { get; }

    /// <summary>Cost per query row B·H·N (softmax bookkeeping, copies), ms.</summary>
    public double PerRowMs { get; }

    /// <summary>Cost per multiply-add of the kernel's score computation, ms.</summary>
    public double PerWorkMs { get; }

    /// <summary>Extra cost per multiply-add in masked tiles (BlockSparse adds an in-tile mask to those scores), ms; 0 for the other kernels.</summary>
    public double PerMaskedWorkMs { get; }

    /// <summary>The estimated time of <paramref name="kind"/> on a call of these features, ms.</summary>
    public double Estimate(AttentionKernelKind kind, AttentionCostFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return InterceptMs + (PerRowMs * features.Rows) + (PerWorkMs * features.WorkOf(kind)) + (PerMaskedWorkMs * features.MaskedWorkOf(kind));
    }

    private static void Check(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"a cost coefficient must be finite and at least 0, got {value}; rerun `sieve bench calibrate`.");
    }
}
