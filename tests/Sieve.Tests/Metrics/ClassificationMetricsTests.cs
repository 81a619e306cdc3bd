// Accuracy, F1 and Matthews correlation against values worked out by hand from small confusion tables.
using Sieve.Data;
using Sieve.Metrics;

namespace Sieve.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Accuracy_CountsMatches()
    {
        Assert.Equal(0.5, ClassificationMetrics.Accuracy([1, 0, 1, 1], [1, 1, 1, 0]));
        Assert.Equal(1.0, ClassificationMetrics.Accuracy([2, 0], [2, 0]));
    }

    [Fact]
    public void F1_UsesClassOneAsPositive()
    {
        // TP = 2 (positions 0, 4), FP = 1 (position 1), FN = 1 (position 3): F1 = 2·2 / (2·2 + 1 + 1) = 2/3.
        Assert.Equal(2.0 / 3, ClassificationMetrics.F1([1, 1, 0, 0, 1], [1, 0, 0, 1, 1]), 12);
        // Swapping the roles of 0 and 1 changes F1: with 0 positive TP = 1, FP = 1, FN = 1 → 2/4.
        Assert.Equal(0.5, ClassificationMetrics.F1([1, 1, 0, 0, 1], [1, 0, 0, 1, 1], positive: 0), 12);
        // No positive anywhere: 0 (sklearn's zero_division value), not NaN.
        Assert.Equal(0, ClassificationMetrics.F1([0, 0], [0, 0]));
    }

    [Fact]
    public void Matthews_OnA2x2Table_IsTheClosedForm()
    {
        // TP = 6, TN = 3, FP = 2, FN = 1: (6·3 − 2·1) / √((6+2)(6+1)(3+2)(3+1)) = 16 / √1120 ≈ 0.47809.
        var gold = new List<int>();
        var predicted = new List<int>();
        void Add(int count, int g, int p)
        {
            for (int i = 0; i < count; i++)
            {
                gold.Add(g);
                predicted.Add(p);
            }
        }
        Add(6, 1, 1);
        Add(3, 0, 0);
        Add(2, 0, 1);
        Add(1, 1, 0);
        double mcc = ClassificationMetrics.Matthews(predicted.ToArray(), gold.ToArray());
        Assert.Equal(16 / Math.Sqrt(1120), mcc, 12);
        Assert.Equal(0.4780914, mcc, 6);
    }

    [Fact]
    public void Matthews_SklearnDocExample_IsMinusOneThird()
    {
        // y_true = [+1, +1, +1, −1], y_pred = [+1, −1, +1, +1]: TP 2, FN 1, FP 1, TN 0 → (0 − 1)/√(3·3·1·1) = −1/3.
        Assert.Equal(-1.0 / 3, ClassificationMetrics.Matthews([1, 0, 1, 1], [1, 1, 1, 0]), 12);
    }

    [Fact]
    public void Matthews_ThreeClasses_IsGorodkinsRk()
    {
        // c = 3 correct of s = 6, p = t = (2, 2, 2): (3·6 − 12) / √((36 − 12)(36 − 12)) = 6/24.
        Assert.Equal(0.25, ClassificationMetrics.Matthews([0, 1, 1, 2, 2, 0], [0, 0, 1, 1, 2, 2]), 12);
    }

    [Fact]
    public void Matthews_ConstantPrediction_IsZero()
    {
        Assert.Equal(0, ClassificationMetrics.Matthews([1, 1, 1], [0, 1, 0]));
    }

    [Fact]
    public void MismatchedLengths_SayWhatToDo()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([1, 0], [1]));
        Assert.Contains("2 predictions for 1 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskMetrics_MrpcReportsF1ThenAccuracy_ColaReportsMatthews()
    {
        int[] predicted = [1, 1, 0, 0, 1], gold = [1, 0, 0, 1, 1];
        var mrpc = TaskMetrics.Compute(TaskDefinition.For(TaskKind.Mrpc), predicted, gold);
        Assert.Equal([MetricKind.F1, MetricKind.Accuracy], mrpc.Select(m => m.Kind));
        Assert.Equal(2.0 / 3, mrpc[0].Value, 12);
        Assert.Equal(0.6, mrpc[1].Value, 12);
        var cola = TaskMetrics.Compute(TaskDefinition.For(TaskKind.Cola), predicted, gold);
        Assert.Equal(MetricKind.Matthews, Assert.Single(cola).Kind);
        Assert.Throws<ArgumentException>(() => TaskMetrics.Compute(TaskDefinition.For(TaskKind.Stsb), predicted, gold));
    }
}
