// Loading never silently invents weights (issue 12): `sieve encode` and `sieve evaluate` on copies of the tiny-bert
// fixture with the pooler or the classifier removed, or with a head of another size; and encode's sentence embedding
// against the mean (or [CLS] vector) of the last hidden state computed here by hand.
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sieve.Checkpoints;
using Sieve.TestSupport;
using static TorchSharp.torch;

namespace Sieve.Cli.Tests;

public sealed class ModelLoadingCommandTests : IDisposable
{
    private const string Text = "w1 w2 w3 w4";

    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-loading-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Tiny => Fixtures.PathOf("tiny-bert");

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SieveCommand.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    // A copy of tiny-bert (3 labels) without the tensors `drop` selects; `labels` 2 keeps the classifier's first two
    // rows and relabels the config; `architecture` replaces the config's.
    private string Variant(string name, Func<string, bool> drop, int labels = 3, string? architecture = null)
    {
        var target = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        using (var scope = NewDisposeScope())
        using (var source = SafeTensorsCheckpoint.OpenDirectory(Tiny))
        {
            var tensors = new Dictionary<string, Tensor>();
            foreach (var key in source.Names.Where(k => !drop(k)))
                tensors[key] = key.StartsWith("classifier.", StringComparison.Ordinal) ? source.Read(key).narrow(0, 0, labels) : source.Read(key);
            SafeTensorsWriter.Write(Path.Combine(target, "model.safetensors"), tensors);
        }
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Tiny, "config.json")))!.AsObject();
        config["num_labels"] = labels;
        config["id2label"] = new JsonObject(Enumerable.Range(0, labels).Select(i => KeyValuePair.Create<string, JsonNode?>($"{i}", $"L{i}")));
        config["label2id"] = new JsonObject(Enumerable.Range(0, labels).Select(i => KeyValuePair.Create<string, JsonNode?>($"L{i}", i)));
        if (architecture is not null) config["architectures"] = new JsonArray(architecture);
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString());
        File.Copy(Path.Combine(Tiny, "vocab.txt"), Path.Combine(target, "vocab.txt"));
        return target;
    }

    private static bool Pooler(string key) => key.StartsWith("bert.pooler.", StringComparison.Ordinal);

    private static bool Classifier(string key) => key.StartsWith("classifier.", StringComparison.Ordinal);

    // An SST-2-shaped dev file over the tiny vocabulary.
    private string Sst2()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "sst2")).FullName;
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), ["sentence\tlabel", "w1 w2 w3\t1", "w4 w5\t0", "w6 w7 w8 w9\t1", "w10\t0"]);
        return folder;
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static void AssertOneLineError(int code, string error, params string[] parts)
    {
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
        foreach (var part in parts) Assert.Contains(part, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_OfAnEncoderWithoutPooler_PrintsNoPooledOutputAndSaysWhy()
    {
        // As snowflake-arctic-embed ships: a bare encoder, no pooler.* weights.
        string model = Variant("embedder", key => Pooler(key) || Classifier(key), architecture: "BertModel");
        var (code, output, error) = Run("encode", "--model", model, "--text", Text, "--format", "json");
        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("poolerOutput").ValueKind);
        Assert.Empty(Strings(json.GetProperty("newlyInitialized")));
        Assert.Equal(16, json.GetProperty("sentenceEmbedding").GetArrayLength());

        (code, output, error) = Run("encode", "--model", model, "--text", Text);
        Assert.True(code == 0, error);
        Assert.Contains("pooler output: none, the checkpoint has no pooler.* weights", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_OfAClassifierWithoutPooler_ListsThePoolerAsNewlyInitialised()
    {
        string model = Variant("no-pooler", Pooler);
        var (code, output, error) = Run("encode", "--model", model, "--text", Text, "--format", "json");
        Assert.True(code == 0, error);
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight"], Strings(Json(output).GetProperty("newlyInitialized")).Order(StringComparer.Ordinal));
        Assert.Contains("newly initialised (not in the checkpoint, random until trained): bert.pooler.dense.", error, StringComparison.Ordinal);

        (code, output, error) = Run("encode", "--model", model, "--text", Text);
        Assert.True(code == 0, error);
        Assert.Contains("(untrained: newly initialised bert.pooler.dense.", output, StringComparison.Ordinal);

        (code, output, error) = Run("encode", "--model", Tiny, "--text", Text, "--format", "json");
        Assert.True(code == 0, error);
        Assert.Empty(Strings(Json(output).GetProperty("newlyInitialized")));
        Assert.DoesNotContain("newly initialised", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arctic-xs", "Cls")]    // snowflake-arctic-embed documents the [CLS] vector
    [InlineData("Arctic-XS", "Cls")]
    [InlineData("minilm", "Mean")]      // all-MiniLM-L6-v2 documents the mean
    [InlineData("/models/arctic-xs", "Mean")]   // a folder of unknown origin
    [InlineData(null, "Mean")]
    public void Encode_WithoutEmbedding_UsesTheBuiltInModelsDocumentedPooling(string? model, string expected) =>
        Assert.Equal(expected, EncodeCommand.DefaultPooling(model).ToString());

    [Fact]
    public void Encode_SentenceEmbedding_IsTheNormalisedMeanOrClsOfTheLastHiddenState()
    {
        var (code, output, error) = Run("encode", "--model", Tiny, "--text", Text, "--format", "json");
        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal("mean", json.GetProperty("embedding").GetString());
        double[] mean = [.. json.GetProperty("sentenceEmbedding").EnumerateArray().Select(e => e.GetDouble())];

        // By hand: the last hidden state of the same ids, averaged over its N positions (one text: no padding), normalised.
        long[] ids = [.. json.GetProperty("inputIds").EnumerateArray().Select(e => e.GetInt64())];
        using var model = BertCheckpoint.LoadModel(Tiny, out _);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var hidden = model.forward(tensor(ids).unsqueeze(0)).LastHiddenState[0].to_type(ScalarType.Float64);   // [N, H]
        double[][] rows = [.. Enumerable.Range(0, ids.Length).Select(i => hidden[i].data<double>().ToArray())];
        static double[] Normalised(double[] v) => [.. v.Select(x => x / Math.Sqrt(v.Sum(y => y * y)))];
        var expected = Normalised([.. Enumerable.Range(0, rows[0].Length).Select(h => rows.Average(r => r[h]))]);
        Assert.Equal(expected.Length, mean.Length);
        for (int h = 0; h < mean.Length; h++) Assert.Equal(expected[h], mean[h], 1e-6);   // float32 sums

        (code, output, error) = Run("encode", "--model", Tiny, "--text", Text, "--embedding", "cls", "--format", "json");
        Assert.True(code == 0, error);
        double[] cls = [.. Json(output).GetProperty("sentenceEmbedding").EnumerateArray().Select(e => e.GetDouble())];
        var expectedCls = Normalised(rows[0]);
        for (int h = 0; h < cls.Length; h++) Assert.Equal(expectedCls[h], cls[h], 1e-6);

        (code, output, error) = Run("encode", "--model", Tiny, "--text", Text, "--embedding", "none", "--format", "json");
        Assert.True(code == 0, error);
        Assert.Equal(JsonValueKind.Null, Json(output).GetProperty("sentenceEmbedding").ValueKind);

        (code, output, error) = Run("encode", "--model", Tiny, "--text", Text);
        Assert.True(code == 0, error);
        Assert.Contains("sentence embedding (mean over the tokens, L2-normalised): [", output, StringComparison.Ordinal);
        Assert.Contains("(16 values)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OfAClassifierWithAnotherLabelCount_IsRefusedNamingBoth()
    {
        var (code, _, error) = Run("evaluate", "--model", Tiny, "--task", "sst2", "--data", Sst2());
        AssertOneLineError(code, error, "3 label(s)", "2 class(es)", "sst2");
    }

    [Fact]
    public void Evaluate_OfAClassifierWithoutClassifierWeights_IsRefusedNamingThem()
    {
        string model = Variant("no-classifier", Classifier, labels: 2);
        var (code, _, error) = Run("evaluate", "--model", model, "--task", "sst2", "--data", Sst2());
        AssertOneLineError(code, error, "classifier.weight, classifier.bias", "nothing to evaluate");

        // Without a head, num_labels is only a default: the missing head is what the message names, not the count.
        (code, _, error) = Run("evaluate", "--model", Variant("no-classifier-3", Classifier), "--task", "sst2", "--data", Sst2());
        Assert.Equal(2, code);
        Assert.Contains("has no classifier weights", error, StringComparison.Ordinal);
        Assert.DoesNotContain("label(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ListsWhatWasNewlyInitialised()
    {
        var (code, output, error) = Run("evaluate", "--model", Variant("two", _ => false, labels: 2), "--task", "sst2", "--data", Sst2(), "--format", "json");
        Assert.True(code == 0, error);
        Assert.Empty(Strings(Json(output).GetProperty("newlyInitialized")));

        string model = Variant("two-no-pooler", Pooler, labels: 2);
        (code, output, error) = Run("evaluate", "--model", model, "--task", "sst2", "--data", Sst2(), "--format", "json");
        Assert.True(code == 0, error);
        Assert.Equal(["bert.pooler.dense.bias", "bert.pooler.dense.weight"], Strings(Json(output).GetProperty("newlyInitialized")).Order(StringComparer.Ordinal));
        Assert.Contains("newly initialised (not in the checkpoint, random until trained): bert.pooler.dense.", error, StringComparison.Ordinal);

        (code, output, error) = Run("evaluate", "--model", model, "--task", "sst2", "--data", Sst2());
        Assert.True(code == 0, error);
        Assert.Contains("untrained, newly initialised (random): bert.pooler.dense.", output, StringComparison.Ordinal);
    }
}
