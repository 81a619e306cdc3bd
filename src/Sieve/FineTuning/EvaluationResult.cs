// What an evaluation of a classifier on one split gives: the task's official metrics, the measured sparsity (AAA Eq. 9
// over every example, layer and head of the split, on real lengths), the mean loss, the predictions, and what a
// learnable pattern learned.
using Sieve.Learnable;
using Sieve.Metrics;
using Sieve.Variants;

namespace Sieve.FineTuning;

/// <summary>The result of <see cref="TaskEvaluator.Evaluate"/>.</summary>
/// <param name="Metrics">The task's official metrics (empty when the split has no labels).</param>
/// <param name="Sparsity">AAA Eq. 9 over the split: mean over examples, layers and heads of 1 − |B|/N_i².</param>
/// <param name="Loss">The mean loss over labelled examples (NaN without labels).</param>
/// <param name="Examples">The number of examples evaluated.</param>
/// <param name="Predictions">Per example in input order: the predicted class index, or the predicted score.</param>
public sealed record EvaluationResult(IReadOnlyList<MetricValue> Metrics, double Sparsity, double Loss, int Examples, double[] Predictions)
{
    /// <summary>
    /// What the model's learnable pattern learned, per layer (AAA's row and column shares over the split's real tokens;
    /// the learned offsets or degrees); null when the model has no learnable pattern.
    /// </summary>
    public LearnedPatternReport? Learned { get; init; }

    /// <summary>
    /// What each layer's attention variant learned or measured over the split (adaptive spans and the window kept at
    /// inference, entmax's α and share of exact zeros, ...), one entry per variant layer; null when no layer has one.
    /// </summary>
    public IReadOnlyList<LayerVariantReport>? Variants { get; init; }

    /// <summary>The value of <paramref name="kind"/>, or null when it was not computed.</summary>
    public double? Metric(MetricKind kind) => Metrics.FirstOrDefault(m => m.Kind == kind)?.Value;

    /// <summary>The metrics, ρ and loss as flat name → value pairs (names in lower case), for logs and the trainer.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var values = Metrics.ToDictionary(m => m.Kind.ToString().ToLowerInvariant(), m => m.Value);
        values["sparsity"] = Sparsity;
        if (!double.IsNaN(Loss)) values["loss"] = Loss;
        return values;
    }
}
