// Runs a sequence classifier over a split without gradients: predictions, the task's official metrics, the mean loss,
// and ρ measured on the layouts the model really used (AAA Eq. 9 on real lengths); with a learnable pattern, what it
// learned (AAA Table 6 shares over the split's tokens, the learned offsets or degrees).
using Sieve.Data;
using Sieve.Learnable;
using Sieve.Metrics;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.FineTuning;

/// <summary>Evaluates a <see cref="BertForSequenceClassification"/> on encoded examples.</summary>
public static class TaskEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="model"/> (put in eval mode) on <paramref name="examples"/> in batches of
    /// <paramref name="batchSize"/>; examples are batched in length order to waste little on padding, and predictions
    /// come back in input order. <paramref name="progress"/> receives the number of examples done.
    /// </summary>
    public static EvaluationResult Evaluate(BertForSequenceClassification model, TaskDefinition task, IReadOnlyList<EncodedExample> examples,
        int padId, int batchSize, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (examples.Count == 0) throw new ArgumentException($"the {task.Name} split to evaluate has no examples.", nameof(examples));
        model.eval();
        using var noGrad = no_grad();
        // The share of exact zeros that entmax reports is counted over this split only.
        var variants = model.Bert.Encoder.Layers.Select(l => l.Attention.Self.Variant).ToArray();
        foreach (var entmax in variants.OfType<EntmaxAttention>()) entmax.ResetStatistics();
        var order = Enumerable.Range(0, examples.Count).OrderBy(i => examples[i].InputIds.Length).ToArray();
        var predictions = new double[examples.Count];
        var sparsity = new SparsityAccumulator();
        var selections = new AxisSelectionAccumulator();
        double lossSum = 0;
        int labelled = 0, done = 0;
        foreach (var chunk in order.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = TaskBatch.Collate([.. chunk.Select(i => examples[i])], padId, task.IsRegression);
            var (logits, attention) = model.Classify(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts);   // [B, L]
            var predicted = task.IsRegression
                ? logits.squeeze(-1).to_type(ScalarType.Float64)                                                 // [B]
                : logits.argmax(-1).to_type(ScalarType.Float64);                                                 // [B]
            var values = predicted.data<double>().ToArray();
            for (int k = 0; k < chunk.Length; k++) predictions[chunk[k]] = values[k];
            var known = chunk.Where(i => !double.IsNaN(examples[i].Target)).ToArray();
            if (known.Length == chunk.Length)
            {
                lossSum += model.Loss(logits, batch.Targets).item<float>() * chunk.Length;
                labelled += chunk.Length;
            }
            AddSparsity(attention.Layouts, batch, model.Config, sparsity);
            if (attention.AxisSelections is { } selected) selections.Add(selected);
            done += chunk.Length;
            progress?.Report(done);
        }
        var gold = examples.Select(e => e.Target).ToArray();
        IReadOnlyList<MetricValue> metrics = gold.Any(double.IsNaN) ? []
            : task.IsRegression ? TaskMetrics.Compute(task, predictions, gold)
            : TaskMetrics.Compute(task, predictions.Select(p => (int)p).ToArray(), gold.Select(g => (int)g).ToArray());
        return new EvaluationResult(metrics, sparsity.Sparsity, labelled == 0 ? double.NaN : lossSum / labelled, examples.Count, predictions)
        {
            Learned = LearnedPatternReport.Of(model.Bert, selections.IsEmpty ? null : selections.Shares),
            Variants = variants.Any(v => v is not null)
                ? [.. variants.Select((v, layer) => v is null ? null : new LayerVariantReport(layer, v.Report())).OfType<LayerVariantReport>()]
                : null,
        };
    }

    // HF's dense path keeps every entry: each of its maps adds N² of N², i.e. sparsity 0, to the Eq. 9 mean.
    private static void AddSparsity(BatchLayouts? layouts, TaskBatch batch, BertConfig config, SparsityAccumulator sparsity)
    {
        if (layouts is not null)
        {
            layouts.AddTo(sparsity);
            return;
        }
        foreach (var context in batch.Contexts)
            for (int map = 0; map < config.NumHiddenLayers; map++) sparsity.Add((long)context.Length * context.Length, context.Length);
    }
}
