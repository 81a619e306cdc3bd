// The mean-pooling classifier head (classifier_pooling "mean"): logits are the classifier of the masked mean of the last
// hidden state computed here by hand, padding does not change them, the model has no pooler (a checkpoint with one loads,
// one without needs none), and config.json keeps the choice through a save and reload.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Modeling;
using Sieve.Tests.Training;
using Sieve.TestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Modeling;

[Collection(GlobalRandomCollection.Name)]
public sealed class MeanClassifierHeadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-mean-head-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Tiny => Fixtures.PathOf("tiny-bert");

    private static BertConfig Small(ClassifierPooling pooling) => new()
    {
        VocabSize = 10,
        HiddenSize = 4,
        NumHiddenLayers = 1,
        NumAttentionHeads = 2,
        IntermediateSize = 6,
        MaxPositionEmbeddings = 8,
        NumLabels = 3,
        ClassifierPooling = pooling,
    };

    private static BertForSequenceClassification Model(ClassifierPooling pooling)
    {
        manual_seed(7);
        var model = new BertForSequenceClassification(Small(pooling), dtype: ScalarType.Float64);
        model.eval();
        return model;
    }

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().to_type(ScalarType.Float64).item<double>();

    [Fact]
    public void Logits_AreTheClassifierOfTheMeanOverRealTokens()
    {
        using var model = Model(ClassifierPooling.Mean);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 2, 5, 7, 3, 0 }).unsqueeze(0);    // [1, 5]
        var mask = tensor(new long[] { 1, 1, 1, 1, 0 }).unsqueeze(0);   // [1, 5]
        var hidden = model.Bert.forward(ids, attentionMask: mask).LastHiddenState[0];   // [5, 4]
        var mean = hidden.narrow(0, 0, 4).mean([0]);                                   // [4]: the 4 real tokens
        var state = model.state_dict();
        var expected = state["classifier.weight"].matmul(mean) + state["classifier.bias"];   // [3]
        var logits = model.forward(ids, attentionMask: mask)[0];                             // [3]
        Assert.InRange(MaxDifference(expected, logits), 0, 1e-12);
    }

    [Fact]
    public void Logits_DoNotDependOnPadding_AloneOrInABatch()
    {
        using var model = Model(ClassifierPooling.Mean);
        using var scope = NewDisposeScope();
        var alone = model.forward(tensor(new long[] { 2, 5, 7, 3 }).unsqueeze(0));   // [1, 3], no mask: all real
        var ids = tensor(new long[] { 2, 5, 7, 3, 0, 0, 0, 2, 4, 4, 6, 8, 9, 3 }).reshape(2, 7);    // [2, 7]
        var mask = tensor(new long[] { 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }).reshape(2, 7);  // [2, 7]
        var batched = model.forward(ids, attentionMask: mask);                                     // [2, 3]
        Assert.InRange(MaxDifference(alone[0], batched[0]), 0, 1e-12);
        // The CLS head reads the pooler instead; it differs, so the test above is not comparing two pooler outputs.
        using var cls = Model(ClassifierPooling.Cls);
        Assert.True(MaxDifference(cls.forward(ids, attentionMask: mask)[0], batched[0]) > 1e-6);
    }

    [Fact]
    public void MeanModel_HasNoPooler_ClsModelHasHfs()
    {
        using var mean = Model(ClassifierPooling.Mean);
        using var cls = Model(ClassifierPooling.Cls);
        Assert.False(mean.Bert.HasPooler);
        Assert.DoesNotContain(mean.state_dict().Keys, k => k.Contains("pooler", StringComparison.Ordinal));
        Assert.True(cls.Bert.HasPooler);
        Assert.Equal(2, cls.state_dict().Keys.Count(k => k.StartsWith("bert.pooler.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Config_RoundTripsMean_AndLeavesHfConfigsUnchanged()
    {
        var mean = Small(ClassifierPooling.Mean);
        var json = mean.ToJson();
        Assert.Contains("\"classifier_pooling\": \"mean\"", json, StringComparison.Ordinal);
        Assert.Equal(ClassifierPooling.Mean, BertConfig.FromJson(json).ClassifierPooling);
        // The default is not written, so an HF config.json read and written back gains no field.
        Assert.DoesNotContain("classifier_pooling", Small(ClassifierPooling.Cls).ToJson(), StringComparison.Ordinal);
        Assert.Equal(ClassifierPooling.Cls, BertConfig.FromJson("{}").ClassifierPooling);
        Assert.Equal(ClassifierPooling.Cls, BertConfig.FromJson("""{"classifier_pooling": "cls"}""").ClassifierPooling);
    }

    [Fact]
    public void Config_WithAnUnknownPooling_IsRefusedNamingTheFileAndField()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """{"classifier_pooling": "max"}""");
        var error = Assert.Throws<CheckpointException>(() => BertConfig.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("classifier_pooling", error.Message, StringComparison.Ordinal);
        Assert.Contains("classifier_pooling", Assert.Throws<ArgumentException>(() => BertConfig.FromJson("""{"classifier_pooling": 5}""")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SavedMeanModel_ReloadsAsAMeanModel_WithTheSameLogits()
    {
        using var model = Model(ClassifierPooling.Mean);
        var saved = Path.Combine(_dir, "saved");
        BertCheckpoint.Save(model, model.Config, saved, vocabPath: null);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(saved, "config.json"))))
            Assert.Equal("mean", json.RootElement.GetProperty("classifier_pooling").GetString());

        using var reloaded = BertCheckpoint.LoadForSequenceClassification(saved, out var report, new CheckpointLoadOptions { DType = ScalarType.Float64 });
        Assert.Equal(ClassifierPooling.Mean, reloaded.Pooling);
        Assert.Empty(report.NewlyInitialized);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 2, 5, 7, 3, 0, 2, 4, 4, 6, 3 }).reshape(2, 5);   // [2, 5]
        var mask = tensor(new long[] { 1, 1, 1, 1, 0, 1, 1, 1, 1, 1 }).reshape(2, 5);  // [2, 5]
        Assert.Equal(0.0, MaxDifference(model.forward(ids, attentionMask: mask), reloaded.forward(ids, attentionMask: mask)));
    }

    [Fact]
    public void ACheckpointWithoutPooler_LoadsIntoAMeanHead_AndOneWithAPoolerIgnoresIt()
    {
        // tiny-bert without its pooler, as snowflake-arctic-embed ships, relabelled as a mean head.
        var target = Directory.CreateDirectory(Path.Combine(_dir, "no-pooler")).FullName;
        using (var source = SafeTensorsCheckpoint.OpenDirectory(Tiny))
        {
            var tensors = source.Names.Where(k => !k.Contains("pooler", StringComparison.Ordinal)).ToDictionary(k => k, source.Read);
            SafeTensorsWriter.Write(Path.Combine(target, "model.safetensors"), tensors);
            foreach (var t in tensors.Values) t.Dispose();
        }
        File.WriteAllText(Path.Combine(target, "config.json"), (BertCheckpoint.ReadConfig(Tiny) with { ClassifierPooling = ClassifierPooling.Mean }).ToJson());

        using var withoutPooler = BertCheckpoint.LoadForSequenceClassification(target, out var report);
        Assert.Empty(report.NewlyInitialized);
        Assert.Empty(report.Ignored);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 2, 27, 14, 29, 5, 3 }).unsqueeze(0);   // [1, 6]
        var logits = withoutPooler.forward(ids);                             // [1, 3]
        Assert.Equal([1L, 3L], logits.shape);
        Assert.True(isfinite(logits).all().item<bool>());

        // The full fixture (with a pooler) into a mean head: the pooler's weights are skipped as a head it does not have,
        // and every other weight is the same, so the logits are too.
        var meanConfig = BertCheckpoint.ReadConfig(Tiny) with { ClassifierPooling = ClassifierPooling.Mean };
        using var withPooler = new BertForSequenceClassification(meanConfig);
        var loaded = BertCheckpoint.LoadWeights(withPooler, Tiny);
        withPooler.eval();
        Assert.Empty(loaded.NewlyInitialized);
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight"], loaded.Ignored.Order(StringComparer.Ordinal));
        Assert.Equal(0.0, MaxDifference(withPooler.forward(ids), logits));
    }
}
