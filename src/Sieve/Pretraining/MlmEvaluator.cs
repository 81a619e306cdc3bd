// Runs a masked LM over held-out batches without gradients: the token-weighted mean cross-entropy and the accuracy on
// the chosen positions (HF run_mlm's eval loss and accuracy), and ρ of the layouts the model really used.
using Sieve.Modeling;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Pretraining;

/// <summary>Evaluates a <see cref="BertForMaskedLM"/> on masked batches.</summary>
public static class MlmEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="model"/> (put in eval mode) on <paramref name="batches"/>, disposing each. The loss is
    /// the mean over all chosen tokens of the split, not the mean of per-batch means, so batch sizes do not weigh it.
    /// </summary>
    public static MlmEvaluation Evaluate(BertForMaskedLM model, IEnumerable<MlmBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        model.eval();
        using var noGrad = no_grad();
        var sparsity = new SparsityAccumulator();
        double lossSum = 0;
        long chosen = 0, correct = 0;
        int lines = 0;
        foreach (var batch in batches)
        {
            using var owned = batch;
            using var scope = NewDisposeScope();
            var (logits, attention) = model.Predict(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts);   // [B, N, V]
            var flat = logits.view(-1, model.Config.VocabSize);                                                     // [B·N, V]
            var labels = batch.Labels.view(-1);                                                                     // [B·N]
            var selected = labels.ne(Scalars.Of(BertForMaskedLM.IgnoreIndex));                                      // [B·N]
            if (batch.MaskedTokens > 0)
            {
                var sum = nn.functional.cross_entropy(flat, labels, ignore_index: BertForMaskedLM.IgnoreIndex, reduction: nn.Reduction.Sum);   // []
                lossSum += sum.to_type(ScalarType.Float64).item<double>();
                var hits = flat.argmax(-1).eq(labels).logical_and(selected);                                        // [B·N]
                correct += hits.sum().item<long>();
                chosen += batch.MaskedTokens;
            }
            AddSparsity(model, attention.Layouts, batch, sparsity);
            lines += batch.Count;
        }
        if (lines == 0) throw new ArgumentException("the split to evaluate has no lines.", nameof(batches));
        return new MlmEvaluation(chosen == 0 ? double.NaN : lossSum / chosen, chosen == 0 ? double.NaN : (double)correct / chosen,
            chosen, sparsity.Sparsity, lines);
    }

    // HF's dense path keeps every entry: each of its maps adds N² of N², i.e. sparsity 0, to the Eq. 9 mean.
    private static void AddSparsity(BertForMaskedLM model, BatchLayouts? layouts, MlmBatch batch, SparsityAccumulator sparsity)
    {
        if (layouts is not null)
        {
            layouts.AddTo(sparsity);
            return;
        }
        foreach (var context in batch.Contexts)
            for (int map = 0; map < model.Config.NumHiddenLayers; map++) sparsity.Add((long)context.Length * context.Length, context.Length);
    }
}
