// Pearson and Spearman correlation for STS-B (transformers' glue_compute_metrics calls scipy's pearsonr and spearmanr;
// spearmanr ranks ties by their average rank, as here).
namespace Sieve.Metrics;

/// <summary>Correlations of predicted against gold scores.</summary>
public static class CorrelationMetrics
{
    /// <summary>The Pearson correlation Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²); NaN when either input is constant (scipy
    /// returns NaN there too: the correlation is undefined).</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        double meanX = 0, meanY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= x.Length;
        meanY /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        // Rounding can push |r| a hair above 1 on perfectly (anti)correlated inputs.
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>The Spearman rank correlation: the Pearson correlation of the ranks, tied values sharing their average rank.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>The 1-based ranks of <paramref name="values"/>, each run of equal values given the mean of the ranks it spans
    /// (scipy's rankdata method='average'): [10, 20, 20, 30] → [1, 2.5, 2.5, 4].</summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = values.ToArray();
        Array.Sort((double[])keys.Clone(), order);
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && keys[order[end]] == keys[order[start]]) end++;
            double rank = (start + 1 + end) / 2.0; // mean of the 1-based ranks start+1 .. end
            for (int k = start; k < end; k++) ranks[order[k]] = rank;
            start = end;
        }
        return ranks;
    }

    private static void Check(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"{x.Length} predictions for {y.Length} gold scores; give one prediction per example.", nameof(x));
        if (x.Length < 2) throw new ArgumentException("a correlation needs at least two examples.", nameof(x));
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
                throw new ArgumentException($"score {i} is not finite ({x[i]}, {y[i]}).", nameof(x));
        }
    }
}
