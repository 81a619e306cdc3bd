// The evaluation metrics of GLUE and LRA (METHODS.md §16: transformers' glue_compute_metrics; §15: LRA accuracy).
namespace Sieve.Metrics;

/// <summary>A metric a task reports.</summary>
public enum MetricKind
{
    /// <summary>Fraction of predictions equal to the label.</summary>
    Accuracy,

    /// <summary>Binary F1 with class 1 as the positive class (MRPC, QQP).</summary>
    F1,

    /// <summary>Matthews correlation coefficient (CoLA).</summary>
    Matthews,

    /// <summary>Pearson correlation of predicted and gold scores (STS-B).</summary>
    Pearson,

    /// <summary>Spearman rank correlation, ties given their average rank (STS-B).</summary>
    Spearman,
}
