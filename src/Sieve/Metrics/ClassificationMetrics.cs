// Accuracy, binary F1 and the Matthews correlation, as GLUE scores them (transformers' glue_compute_metrics calls
// sklearn's accuracy, f1_score with class 1 positive, and matthews_corrcoef). Hand-written and small (DESIGN.md §3).
namespace Sieve.Metrics;

/// <summary>Metrics of predicted class indices against gold class indices.</summary>
public static class ClassificationMetrics
{
    /// <summary>The fraction of positions where <paramref name="predicted"/> equals <paramref name="gold"/>.</summary>
    public static double Accuracy(ReadOnlySpan<int> predicted, ReadOnlySpan<int> gold)
    {
        Check(predicted, gold);
        int correct = 0;
        for (int i = 0; i < gold.Length; i++)
            if (predicted[i] == gold[i]) correct++;
        return correct / (double)gold.Length;
    }

    /// <summary>Binary F1 with <paramref name="positive"/> (1 by default) as the positive class: 2TP / (2TP + FP + FN).
    /// 0 when there is no positive among the predictions or the labels (sklearn's zero_division result).</summary>
    public static double F1(ReadOnlySpan<int> predicted, ReadOnlySpan<int> gold, int positive = 1)
    {
        Check(predicted, gold);
        long truePositive = 0, falsePositive = 0, falseNegative = 0;
        for (int i = 0; i < gold.Length; i++)
        {
            bool p = predicted[i] == positive, g = gold[i] == positive;
            if (p && g) truePositive++;
            else if (p) falsePositive++;
            else if (g) falseNegative++;
        }
        long denominator = 2 * truePositive + falsePositive + falseNegative;
        return denominator == 0 ? 0 : 2.0 * truePositive / denominator;
    }

    /// <summary>The Matthews correlation coefficient over any number of classes (Gorodkin's R_K, which is
    /// (TP·TN − FP·FN)/√((TP+FP)(TP+FN)(TN+FP)(TN+FN)) for two): (c·s − Σ p_k t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)) with
    /// c correct, s total, p_k predicted and t_k true counts of class k. 0 when a factor of the denominator is 0, as sklearn.</summary>
    public static double Matthews(ReadOnlySpan<int> predicted, ReadOnlySpan<int> gold)
    {
        Check(predicted, gold);
        var predictedCounts = new Dictionary<int, long>();
        var trueCounts = new Dictionary<int, long>();
        long correct = 0;
        for (int i = 0; i < gold.Length; i++)
        {
            predictedCounts[predicted[i]] = predictedCounts.GetValueOrDefault(predicted[i]) + 1;
            trueCounts[gold[i]] = trueCounts.GetValueOrDefault(gold[i]) + 1;
            if (predicted[i] == gold[i]) correct++;
        }
        double s = gold.Length, sumPT = 0, sumPP = 0, sumTT = 0;
        foreach (var (label, p) in predictedCounts)
        {
            sumPP += (double)p * p;
            sumPT += (double)p * trueCounts.GetValueOrDefault(label);
        }
        foreach (var t in trueCounts.Values) sumTT += (double)t * t;
        double covariance = correct * s - sumPT;
        double denominator = Math.Sqrt((s * s - sumPP) * (s * s - sumTT));
        return denominator == 0 ? 0 : covariance / denominator;
    }

    private static void Check(ReadOnlySpan<int> predicted, ReadOnlySpan<int> gold)
    {
        if (predicted.Length != gold.Length)
            throw new ArgumentException($"{predicted.Length} predictions for {gold.Length} labels; give one prediction per example.", nameof(predicted));
        if (gold.Length == 0) throw new ArgumentException("no examples to score.", nameof(gold));
    }
}
