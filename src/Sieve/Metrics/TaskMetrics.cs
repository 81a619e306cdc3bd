// The official metrics of a task (METHODS.md §16: transformers' glue_compute_metrics), computed from predictions.
using Sieve.Data;

namespace Sieve.Metrics;

/// <summary>Scores predictions with the metrics a <see cref="TaskDefinition"/> lists.</summary>
public static class TaskMetrics
{
    /// <summary>The metrics of a classification task, in <see cref="TaskDefinition.Metrics"/> order.</summary>
    public static IReadOnlyList<MetricValue> Compute(TaskDefinition task, ReadOnlySpan<int> predicted, ReadOnlySpan<int> gold)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsRegression) throw new ArgumentException($"{task.Name} is a regression task; pass float scores.", nameof(task));
        var values = new List<MetricValue>(task.Metrics.Count);
        foreach (var kind in task.Metrics)
        {
            double value = kind switch
            {
                MetricKind.Accuracy => ClassificationMetrics.Accuracy(predicted, gold),
                MetricKind.F1 => ClassificationMetrics.F1(predicted, gold),
                MetricKind.Matthews => ClassificationMetrics.Matthews(predicted, gold),
                _ => throw new ArgumentException($"{kind} is not a classification metric.", nameof(task)),
            };
            values.Add(new MetricValue(kind, value));
        }
        return values;
    }

    /// <summary>The metrics of a regression task (STS-B: Pearson and Spearman).</summary>
    public static IReadOnlyList<MetricValue> Compute(TaskDefinition task, ReadOnlySpan<double> predicted, ReadOnlySpan<double> gold)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.IsRegression) throw new ArgumentException($"{task.Name} is a classification task; pass class indices.", nameof(task));
        var values = new List<MetricValue>(task.Metrics.Count);
        foreach (var kind in task.Metrics)
        {
            double value = kind switch
            {
                MetricKind.Pearson => CorrelationMetrics.Pearson(predicted, gold),
                MetricKind.Spearman => CorrelationMetrics.Spearman(predicted, gold),
                _ => throw new ArgumentException($"{kind} is not a regression metric.", nameof(task)),
            };
            values.Add(new MetricValue(kind, value));
        }
        return values;
    }
}
