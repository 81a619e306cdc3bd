// The sequence-classification head picks HF's loss from num_labels / problem_type / label type, and each loss equals
// its closed form on hand-made logits.
using Sieve.Modeling;
using static TorchSharp.torch;

namespace Sieve.Tests.Modeling;

public sealed class BertHeadTests
{
    private static BertConfig Small(int labels, string? problemType = null) => new()
    {
        VocabSize = 10,
        HiddenSize = 4,
        NumHiddenLayers = 1,
        NumAttentionHeads = 2,
        IntermediateSize = 6,
        MaxPositionEmbeddings = 8,
        NumLabels = labels,
        ProblemType = problemType,
    };

    [Theory]
    [InlineData(1, null, true, BertProblemType.Regression)]
    [InlineData(1, null, false, BertProblemType.Regression)]
    [InlineData(3, null, true, BertProblemType.SingleLabelClassification)]
    [InlineData(3, null, false, BertProblemType.MultiLabelClassification)]
    [InlineData(3, "regression", true, BertProblemType.Regression)]
    [InlineData(1, "single_label_classification", false, BertProblemType.SingleLabelClassification)]
    public void ProblemType_IsChosenAsHuggingFaceDoes(int labels, string? problemType, bool integerLabels, BertProblemType expected) =>
        Assert.Equal(expected, Small(labels, problemType).ResolveProblemType(integerLabels));

    [Fact]
    public void RegressionLoss_IsTheMeanSquaredError()
    {
        using var model = new BertForSequenceClassification(Small(1), dtype: ScalarType.Float64);
        using var logits = tensor(new double[] { 0.5, -1.0 }).unsqueeze(1);   // [2, 1]
        using var labels = tensor(new double[] { 1.5, 1.0 });                 // [2]
        Assert.Equal((1.0 + 4.0) / 2, model.Loss(logits, labels).item<double>(), 12);
    }

    [Fact]
    public void SingleLabelLoss_IsTheCrossEntropy()
    {
        using var model = new BertForSequenceClassification(Small(2), dtype: ScalarType.Float64);
        using var logits = tensor(new double[] { 0, Math.Log(3) }, 1, 2);    // p = [1/4, 3/4]
        using var labels = tensor(new long[] { 0 });
        Assert.Equal(Math.Log(4), model.Loss(logits, labels).item<double>(), 12);
    }

    [Fact]
    public void MultiLabelLoss_IsTheBinaryCrossEntropyWithLogits()
    {
        using var model = new BertForSequenceClassification(Small(2), dtype: ScalarType.Float64);
        using var logits = tensor(new double[] { 0, Math.Log(3) }, 1, 2);    // sigmoid = [1/2, 3/4]
        using var labels = tensor(new double[] { 1, 0 }, 1, 2);
        Assert.Equal((Math.Log(2) + Math.Log(4)) / 2, model.Loss(logits, labels).item<double>(), 12);
    }

    [Fact]
    public void ConfigFromJson_ResolvesLabelsAndRejectsBadValues()
    {
        var config = BertConfig.FromJson("""{"num_labels": 5, "id2label": {"0": "neg", "1": "pos"}, "hidden_act": "gelu"}""");
        Assert.Equal(2, config.NumLabels);   // id2label wins, as in HF
        Assert.Equal(BertActivation.Gelu, config.Activation);
        Assert.Contains("multiple of num_attention_heads", Assert.Throws<ArgumentException>(() => BertConfig.FromJson("""{"hidden_size": 10}""")).Message, StringComparison.Ordinal);
        Assert.Contains("hidden_act", Assert.Throws<ArgumentException>(() => BertConfig.FromJson("""{"hidden_act": "swish"}""")).Message, StringComparison.Ordinal);
        var kept = BertConfig.FromJson("""{"transformers_version": "4.40.0"}""").ToJson();
        Assert.Contains("\"transformers_version\": \"4.40.0\"", kept, StringComparison.Ordinal);
    }
}
