// Loading HF model directories into BERT models and saving them back: the key mapping, the missing/unexpected report,
// shape-mismatch messages, refusal of pickles, and a bit-identical save/load round trip.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.TestSupport;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Tests.Checkpoints;

public sealed class BertCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-bert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Tiny => Fixtures.PathOf("tiny-bert");

    private static readonly long[] _ids = [2, 27, 14, 29, 5, 3, 0, 0];
    private static readonly long[] _mask = [1, 1, 1, 1, 1, 1, 0, 0];

    // A copy of the tiny checkpoint whose tensors went through `rename` (null drops the tensor) and whose config is `config`.
    private string Variant(string name, Func<string, string?> rename, string? configJson = null)
    {
        var target = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        using var source = SafeTensorsCheckpoint.OpenDirectory(Tiny);
        var tensors = new Dictionary<string, Tensor>();
        foreach (var key in source.Names)
            if (rename(key) is { } renamed) tensors[renamed] = source.Read(key);
        SafeTensorsWriter.Write(Path.Combine(target, "model.safetensors"), tensors);
        foreach (var t in tensors.Values) t.Dispose();
        File.WriteAllText(Path.Combine(target, "config.json"), configJson ?? File.ReadAllText(Path.Combine(Tiny, "config.json")));
        return target;
    }

    private static Tensor Logits(BertForSequenceClassification model) =>
        model.forward(tensor(_ids).unsqueeze(0), attentionMask: tensor(_mask).unsqueeze(0));

    [Fact]
    public void SaveThenLoad_GivesBitIdenticalOutputs_AndAnHfDirectory()
    {
        using var model = BertCheckpoint.LoadForSequenceClassification(Tiny, out _);
        model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(2)") };
        var saved = Path.Combine(_dir, "saved");
        BertCheckpoint.Save(model, model.Config, saved, BertCheckpoint.VocabPath(Tiny), attentionPattern: "full");
        BertCheckpoint.Save(model, model.Config, saved, BertCheckpoint.VocabPath(Tiny));   // replaces; records the model's own pattern

        Assert.Equal(["config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"], Directory.GetFiles(saved).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["saved"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));   // no staging left over
        Assert.Equal(File.ReadAllText(Path.Combine(Tiny, "vocab.txt")), File.ReadAllText(Path.Combine(saved, "vocab.txt")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(saved, "config.json")));
        Assert.Equal("local(2)", json.RootElement.GetProperty("sieve").GetProperty("attention_pattern").GetString());
        Assert.Equal("BertForSequenceClassification", json.RootElement.GetProperty("architectures")[0].GetString());
        Assert.Equal(3, json.RootElement.GetProperty("id2label").EnumerateObject().Count());

        using var reloaded = BertCheckpoint.LoadForSequenceClassification(saved, out var report);
        Assert.Empty(report.NewlyInitialized);
        Assert.Equal("local(2)", reloaded.Config.Sieve?.AttentionPattern);
        using var a = Logits(model);
        using var b = Logits(reloaded);
        Assert.Equal(a.bytes.ToArray(), b.bytes.ToArray());
        foreach (var (key, value) in model.state_dict())
            Assert.Equal(value.bytes.ToArray(), reloaded.state_dict()[key].bytes.ToArray());
    }

    [Fact]
    public void Save_WritesTheTokenizerConfig_SoACasedModelStaysCased()
    {
        using var model = BertCheckpoint.LoadForSequenceClassification(Tiny, out _);
        var uncased = Path.Combine(_dir, "uncased");
        var cased = Path.Combine(_dir, "cased");
        BertCheckpoint.Save(model, model.Config, uncased, BertCheckpoint.VocabPath(Tiny));
        BertCheckpoint.Save(model, model.Config, cased, BertCheckpoint.VocabPath(Tiny), tokenizer: new TokenizerOptions { LowerCase = false });

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(uncased, "tokenizer_config.json")));
        Assert.True(json.RootElement.GetProperty("do_lower_case").GetBoolean());
        Assert.Equal("BertTokenizer", json.RootElement.GetProperty("tokenizer_class").GetString());
        Assert.Equal(40, json.RootElement.GetProperty("model_max_length").GetInt32());   // the tiny model's max_position_embeddings
        Assert.Equal(TokenizerOptions.Default, TokenizerOptions.FromCheckpoint(uncased));
        Assert.False(SieveTokenizer.FromCheckpoint(cased).Options.LowerCase);
        Assert.False(SieveTokenizer.FromCheckpoint(cased).Options.StripsAccents);
    }

    [Fact]
    public void Save_WithoutAVocabulary_WritesNoTokenizerFiles()
    {
        using var model = BertCheckpoint.LoadForSequenceClassification(Tiny, out _);
        var saved = Path.Combine(_dir, "novocab");
        BertCheckpoint.Save(model, model.Config, saved, vocabPath: null);

        Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(saved).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OldGammaBetaNames_AndAMissingBertPrefix_AreMapped()
    {
        var old = Variant("old", key => key
            .Replace("LayerNorm.weight", "LayerNorm.gamma", StringComparison.Ordinal)
            .Replace("LayerNorm.bias", "LayerNorm.beta", StringComparison.Ordinal)
            .Replace("bert.", "", StringComparison.Ordinal));
        using var reference = BertCheckpoint.LoadForSequenceClassification(Tiny, out _);
        using var model = BertCheckpoint.LoadForSequenceClassification(old, out var report);
        Assert.Contains("embeddings.LayerNorm.gamma → bert.embeddings.LayerNorm.weight", report.Renamed);
        Assert.Equal(41, report.Loaded.Count);
        using var a = Logits(reference);
        using var b = Logits(model);
        Assert.Equal(a.bytes.ToArray(), b.bytes.ToArray());
    }

    [Fact]
    public void EncoderOnlyCheckpoint_LoadsWithTheClassifierNewlyInitialised()
    {
        var encoder = Variant("encoder", key => key.StartsWith("classifier.", StringComparison.Ordinal) ? null : key);
        using var model = BertCheckpoint.LoadForSequenceClassification(encoder, out var report);
        Assert.Equal(["classifier.weight", "classifier.bias"], report.NewlyInitialized);
        Assert.Contains("newly initialised", report.Summary(), StringComparison.Ordinal);
        Assert.Empty(report.Missing);
    }

    [Fact]
    public void SequenceClassificationCheckpoint_IntoAMaskedLM_IgnoresThePoolerAndClassifier()
    {
        using var model = BertCheckpoint.LoadForMaskedLM(Tiny, out var report);
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight", "classifier.bias", "classifier.weight"], report.Ignored.Order(StringComparer.Ordinal));
        Assert.Contains("cls.predictions.bias", report.NewlyInitialized);
        Assert.Empty(report.Missing);
    }

    [Fact]
    public void SequenceClassificationCheckpoint_IntoABareBertModel_StripsThePrefix()
    {
        using var model = BertCheckpoint.LoadModel(Tiny, out var report);
        Assert.Equal(39, report.Loaded.Count);
        Assert.Equal(["classifier.bias", "classifier.weight"], report.Ignored.Order(StringComparer.Ordinal));
        using var reference = BertCheckpoint.LoadForSequenceClassification(Tiny, out _);
        using var ids = tensor(_ids).unsqueeze(0);
        using var a = model.forward(ids).LastHiddenState;
        using var b = reference.Bert.forward(ids).LastHiddenState;
        Assert.Equal(a.bytes.ToArray(), b.bytes.ToArray());
    }

    [Fact]
    public void CheckpointWithoutPooler_GivesABareModelWithoutOne_ButAClassifierANewlyInitialisedOne()
    {
        // As snowflake-arctic-embed ships: an encoder with no pooler.* weights.
        var noPooler = Variant("no-pooler", key => key.StartsWith("bert.pooler.", StringComparison.Ordinal) ? null : key);
        using var model = BertCheckpoint.LoadModel(noPooler, out var report);
        Assert.False(model.HasPooler);
        Assert.Empty(report.NewlyInitialized);
        using var ids = tensor(_ids).unsqueeze(0);
        var output = model.forward(ids);
        using var hidden = output.LastHiddenState;
        Assert.Null(output.PoolerOutput);

        // HF semantics for a task model: its head reads the pooler, so it is built, newly initialised and reported.
        using var classifier = BertCheckpoint.LoadForSequenceClassification(noPooler, out var classifierReport);
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight"], classifierReport.NewlyInitialized.Order(StringComparer.Ordinal));
        Assert.Contains("newly initialised (not in the checkpoint, random until trained): bert.pooler.dense.", classifierReport.Describe(noPooler), StringComparison.Ordinal);
    }

    [Fact]
    public void ShapeMismatch_NamesTheKeyAndBothShapes()
    {
        var twoLabels = Variant("two", key => key, File.ReadAllText(Path.Combine(Tiny, "config.json"))
            .Replace("\"num_labels\": 3", "\"num_labels\": 2", StringComparison.Ordinal)
            .Replace("\"2\": \"L2\"", "\"9\": \"unused\"", StringComparison.Ordinal)
            .Replace(",\n    \"9\": \"unused\"", "", StringComparison.Ordinal));
        var e = Assert.Throws<CheckpointException>(() => BertCheckpoint.LoadForSequenceClassification(twoLabels, out _));
        Assert.Contains("'classifier.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 16]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[2, 16]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEncoderWeight_IsAnError_UnlessAllowed()
    {
        const string dropped = "bert.encoder.layer.1.output.dense.bias";
        var holed = Variant("holed", key => key == dropped ? null : key);
        var e = Assert.Throws<CheckpointException>(() => BertCheckpoint.LoadForSequenceClassification(holed, out _));
        Assert.Contains(dropped, e.Message, StringComparison.Ordinal);
        using var model = BertCheckpoint.LoadForSequenceClassification(holed, out var report, new CheckpointLoadOptions { AllowMissing = true });
        Assert.Equal([dropped], report.Missing);
    }

    [Fact]
    public void UnexpectedTensor_IsAnError_UnlessAllowed()
    {
        var extra = Variant("extra", key => key == "bert.pooler.dense.bias" ? "bert.adapter.bias" : key);
        var e = Assert.Throws<CheckpointException>(() => BertCheckpoint.LoadForSequenceClassification(extra, out _, new CheckpointLoadOptions { AllowMissing = true }));
        Assert.Contains("bert.adapter.bias", e.Message, StringComparison.Ordinal);
        using var model = BertCheckpoint.LoadForSequenceClassification(extra, out var report, new CheckpointLoadOptions { AllowMissing = true, AllowUnexpected = true });
        Assert.Equal(["bert.adapter.bias"], report.Unexpected);
    }

    [Fact]
    public void PositionIdsBuffer_IsIgnored()
    {
        var withBuffer = Variant("buffer", key => key);
        using (var source = SafeTensorsCheckpoint.OpenDirectory(withBuffer))
        {
            var tensors = source.Names.ToDictionary(n => n, source.Read);
            tensors["bert.embeddings.position_ids"] = arange(40L).unsqueeze(0);
            SafeTensorsWriter.Write(Path.Combine(withBuffer, "model.safetensors"), tensors);
        }
        using var model = BertCheckpoint.LoadForSequenceClassification(withBuffer, out var report);
        Assert.Equal(["bert.embeddings.position_ids"], report.Ignored);
    }

    [Fact]
    public void PytorchModelBin_IsRefusedWithConversionAdvice()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"), "{}");
        File.WriteAllBytes(Path.Combine(_dir, "pytorch_model.bin"), [0x80, 0x02]);
        var e = Assert.Throws<CheckpointException>(() => BertCheckpoint.LoadForSequenceClassification(_dir, out _));
        Assert.Contains("never loads", e.Message, StringComparison.Ordinal);
        Assert.Contains("save_pretrained", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConfig_IsRefused()
    {
        var e = Assert.Throws<CheckpointException>(() => BertCheckpoint.LoadForSequenceClassification(_dir, out _));
        Assert.Contains("config.json", e.Message, StringComparison.Ordinal);
    }
}
