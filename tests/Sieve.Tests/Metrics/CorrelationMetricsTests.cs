// Pearson and Spearman (ties ranked by average) against values worked out by hand.
using Sieve.Data;
using Sieve.Metrics;

namespace Sieve.Tests.Metrics;

public sealed class CorrelationMetricsTests
{
    [Fact]
    public void Pearson_MatchesTheHandComputation()
    {
        // x̄ = 2.5, ȳ = 5; Σdxdy = 4.5 + 0.5 + 0 + 6 = 11, Σdx² = 5, Σdy² = 26: r = 11/√130.
        Assert.Equal(11 / Math.Sqrt(130), CorrelationMetrics.Pearson([1, 2, 3, 4], [2, 4, 5, 9]), 12);
        Assert.Equal(-1, CorrelationMetrics.Pearson([1, 2, 3], [6, 4, 2]), 12);
    }

    [Fact]
    public void Pearson_OfAConstant_IsNaN() => Assert.True(double.IsNaN(CorrelationMetrics.Pearson([1, 1, 1], [1, 2, 3])));

    [Fact]
    public void AverageRanks_GiveTiesTheMeanRank()
    {
        Assert.Equal([1, 2.5, 2.5, 4], CorrelationMetrics.AverageRanks([10, 20, 20, 30]));
        // Three 3s take ranks 2, 3, 4 → 3 each; the 1 is rank 1.
        Assert.Equal([3, 1, 3, 3], CorrelationMetrics.AverageRanks([3, 1, 3, 3]));
        Assert.Equal([3, 1, 2], CorrelationMetrics.AverageRanks([0.9, -5, 0.1]));
    }

    [Fact]
    public void Spearman_WithTies_IsPearsonOfAverageRanks()
    {
        // ranks x = (1, 2.5, 2.5, 4), ranks y = (1, 3, 2, 4): Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → 4.5/√22.5 ≈ 0.948683.
        double rho = CorrelationMetrics.Spearman([1, 2, 2, 3], [1, 3, 2, 4]);
        Assert.Equal(4.5 / Math.Sqrt(22.5), rho, 12);
        Assert.Equal(0.9486833, rho, 6);
    }

    [Fact]
    public void Spearman_IsInvariantUnderMonotoneMaps()
    {
        double[] x = [0.3, 1.7, 2.2, 4.9, 3.1], y = [1, 2, 4, 3, 5];
        double[] cubed = x.Select(v => v * v * v + 7).ToArray();
        Assert.Equal(CorrelationMetrics.Spearman(x, y), CorrelationMetrics.Spearman(cubed, y), 12);
        // 1 − 6Σd²/(n(n²−1)) without ties: ranks x (1,2,3,5,4), y (1,2,4,3,5): Σd² = 0+0+1+4+1 = 6 → 1 − 36/120 = 0.7.
        Assert.Equal(0.7, CorrelationMetrics.Spearman(x, y), 12);
    }

    [Fact]
    public void TaskMetrics_StsbReportsPearsonThenSpearman()
    {
        var values = TaskMetrics.Compute(TaskDefinition.For(TaskKind.Stsb), [1.0, 2, 2, 3], [1.0, 3, 2, 4]);
        Assert.Equal([MetricKind.Pearson, MetricKind.Spearman], values.Select(v => v.Kind));
        Assert.Equal(4.5 / Math.Sqrt(22.5), values[1].Value, 12);
    }
}
