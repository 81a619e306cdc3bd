// The masked-LM objective against hand computation: BertForMaskedLM.Loss on fixed logits over a 3-word vocabulary,
// and the evaluator's token-weighted loss and accuracy over several masked batches of a real tiny model, recomputed
// here in float64 from the logits (log-sum-exp minus the label's logit, arg-max hits) on the chosen positions only.
using Sieve.Data;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Pretraining;
using Sieve.Tests.Training;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Tests.Pretraining;

[Collection(GlobalRandomCollection.Name)]
public sealed class MlmLossTests
{
    [Fact]
    public void Loss_IsTheMeanCrossEntropyOverLabelledPositions_OnATinyVocabulary()
    {
        manual_seed(1);
        using var model = new BertForMaskedLM(new BertConfig { VocabSize = 3, HiddenSize = 4, NumHiddenLayers = 1, NumAttentionHeads = 1, IntermediateSize = 4, MaxPositionEmbeddings = 8 });
        using var logits = tensor(new float[] { 9, 9, 9, 1, 2, 3, 0, 0, 0, 2, 0, -1 }).view(1, 4, 3);   // [B=1, N=4, V=3]
        using var labels = tensor(new long[] { -100, 2, 0, 1 }).view(1, 4);                              // [1, 4]
        // Position 1: −log(e³ / (e + e² + e³)); position 2: log 3; position 3: −log(e⁰ / (e² + e⁰ + e⁻¹)).
        double p1 = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3;
        double p2 = Math.Log(3);
        double p3 = Math.Log(Math.Exp(2) + 1 + Math.Exp(-1));
        using var loss = model.Loss(logits, labels);
        Assert.Equal((p1 + p2 + p3) / 3, loss.item<float>(), 5);
    }

    [Fact]
    public void EvaluatorAndStep_MatchAHandComputationOverTheChosenTokens()
    {
        using var files = new PretrainTestFiles();
        var encoder = new TextLineEncoder(SieveTokenizer.Create(files.VocabPath), maxLength: 14);
        var lines = encoder.EncodeAll([.. PretrainTestFiles.Lines(11, seed: 3).Select((text, i) => new Example(text, null, null, null, i + 1))]);
        manual_seed(4);
        using var model = new BertForMaskedLM(PretrainTestFiles.Config);
        model.Bert.Attention = new AttentionSettings { Pattern = Sieve.Patterns.PatternSpec.Parse("local(1)+global(1)"), Kernel = AttentionKernelKind.Reference };
        var masking = new MlmMaskingOptions { Probability = 0.4 };
        var source = new MlmBatchSource(lines, 4, encoder.PadId, encoder.MaskTokenId, encoder.VocabularySize, masking, shuffle: false);

        var evaluation = MlmEvaluator.Evaluate(model, source.Batches(0, 7, 0));

        double lossSum = 0;
        long chosen = 0, hits = 0;
        model.eval();
        using (no_grad())
        {
            foreach (var batch in source.Batches(0, 7, 0))
            {
                using var owned = batch;
                using var logits = model.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts).to_type(ScalarType.Float64);   // [B, N, V]
                var values = logits.data<double>().ToArray();
                var labels = batch.Labels.data<long>().ToArray();
                int v = PretrainTestFiles.VocabularySize;
                double batchLoss = 0;
                int batchChosen = 0;
                for (int k = 0; k < labels.Length; k++)
                {
                    if (labels[k] == BertForMaskedLM.IgnoreIndex) continue;
                    var row = values.AsSpan(k * v, v);
                    double max = double.NegativeInfinity;
                    int arg = 0;
                    for (int j = 0; j < v; j++) if (row[j] > max) (max, arg) = (row[j], j);
                    double sum = 0;
                    foreach (var x in row) sum += Math.Exp(x - max);
                    batchLoss += max + Math.Log(sum) - row[(int)labels[k]];
                    batchChosen++;
                    if (arg == labels[k]) hits++;
                }
                lossSum += batchLoss;
                chosen += batchChosen;
                // The training step's loss is the same cross-entropy, averaged within the batch.
                using var step = PretrainJob.Step(model, batch).Loss;
                Assert.Equal(batchLoss / batchChosen, step.item<float>(), 4);
            }
        }
        Assert.True(chosen > 10, $"only {chosen} tokens were chosen");
        Assert.Equal(chosen, evaluation.MaskedTokens);
        Assert.Equal(11, evaluation.Lines);
        Assert.Equal(lossSum / chosen, evaluation.Loss, 4);
        Assert.Equal((double)hits / chosen, evaluation.Accuracy, 12);
        Assert.InRange(evaluation.Sparsity, 0.01, 0.99);   // local(1)+global(1) on lines of 4 … 14 tokens
    }

    [Fact]
    public void MaskedLoss_RunsTheHeadOnChosenTokensOnly_WithTheSameLossAndGradients()
    {
        manual_seed(5);
        var config = new BertConfig { VocabSize = 11, HiddenSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 2, IntermediateSize = 8, MaxPositionEmbeddings = 8 };
        using var model = new BertForMaskedLM(config, dtype: ScalarType.Float64);
        model.train();
        using var ids = tensor(new long[] { 1, 4, 6, 2, 3, 9, 5, 7 }).view(2, 4);                        // [B=2, N=4]
        using var labels = tensor(new long[] { -100, 3, -100, 8, -100, -100, 10, -100 }).view(2, 4);    // [2, 4]: 3 chosen

        manual_seed(6);                                                            // the same dropout masks in both passes
        using var full = model.Loss(model.Predict(ids).Logits, labels);           // [B, N, V] logits
        var expected = Gradients(model, full);
        manual_seed(6);
        using var masked = model.MaskedLoss(ids, labels).Loss;                     // [3, V] logits
        var actual = Gradients(model, masked);

        Assert.Equal(full.item<double>(), masked.item<double>(), 12);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (name, gradient) in expected) Assert.True(gradient.allclose(actual[name], rtol: 1e-9, atol: 1e-12), name);

        // No chosen token: a zero loss whose (zero) gradients still reach the head.
        using var none = full_like(labels, BertForMaskedLM.IgnoreIndex);
        using var zero = model.MaskedLoss(ids, none).Loss;
        Assert.Equal(0.0, zero.item<double>());
        var zeros = Gradients(model, zero);
        Assert.Equal(expected.Count, zeros.Count);
        Assert.All(zeros.Values, g => Assert.Equal(0.0, g.abs().max().item<double>()));
    }

    // Every parameter's gradient of loss (cleared first), by name; a parameter without one is left out.
    private static Dictionary<string, Tensor> Gradients(BertForMaskedLM model, Tensor loss)
    {
        model.zero_grad();
        loss.backward();
        return model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }
}
