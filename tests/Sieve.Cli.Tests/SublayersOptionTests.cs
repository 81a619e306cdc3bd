// `--sublayers` on `sieve finetune` and `sieve pretrain` (Press et al. 2020's sandwich ordering), run as a user runs
// them on generated data: the order is recorded in the saved config.json, a checkpoint keeps the order it was trained
// with, and a bad or different order exits with 2 and says what was expected.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Modeling;

namespace Sieve.Cli.Tests;

public sealed class SublayersOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-sublayers-").FullName;

    private static BertConfig TwoLayers => new()
    {
        VocabSize = 300,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 64,
    };

    public SublayersOptionTests()
    {
        // Byte-level text (no vocabulary needed): label 1 when the line holds a 'z'.
        var data = Directory.CreateDirectory(Path.Combine(_dir, "text")).FullName;
        foreach (var (file, count) in new[] { ("train.tsv", 24), ("dev.tsv", 8) })
        {
            File.WriteAllLines(Path.Combine(data, file), ["text\tlabel", .. Enumerable.Range(0, count).Select(i =>
                $"{new string((char)('a' + (i % 7)), 5 + (i % 9))}{(i % 2 == 0 ? "z" : "")} end\t{1 - (i % 2)}")]);
        }
        File.WriteAllText(Path.Combine(_dir, "config.json"), TwoLayers.ToJson());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Output, string Error) Finetune(string output, params string[] extra) => HelpTests.RunSieve(
        ["finetune", "--task", "text", "--data", Path.Combine(_dir, "text"), "--output", Path.Combine(_dir, output),
         "--max-steps", "2", "--batch-size", "8", "--max-length", "32", "--format", "json", .. extra]);

    private static string? SavedSublayers(string modelDirectory)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDirectory, "config.json")));
        return config.RootElement.TryGetProperty("sieve", out var sieve) && sieve.TryGetProperty("sublayers", out var order) ? order.GetString() : null;
    }

    [Fact]
    public void Finetune_FromConfig_WithSublayers_RecordsTheOrder_AndTheSameOrderContinuesFromTheModel()
    {
        var (code, output, error) = Finetune("run", "--config", Path.Combine(_dir, "config.json"), "--sublayers", "sandwich(k=1)");
        Assert.True(code == 0, $"exit {code}: {error}");
        using var trained = JsonDocument.Parse(output);
        Assert.Equal("Completed", trained.RootElement.GetProperty("outcome").GetString());
        var model = trained.RootElement.GetProperty("modelDirectory").GetString()!;
        Assert.Equal("ssff", SavedSublayers(model));   // s^1 (sf)^1 f^1 for 2 layers
        Assert.Equal("ssff", BertCheckpoint.ReadConfig(model).Sieve?.Sublayers);
        Assert.Equal("ssff", SavedSublayers(Path.Combine(_dir, "run", "checkpoint-2")));   // checkpoints record it too

        // The order the model was trained with is accepted (and kept) when fine-tuning it further.
        (code, output, error) = Finetune("again", "--model", model, "--sublayers", "ssff");
        Assert.True(code == 0, $"exit {code}: {error}");
        using var again = JsonDocument.Parse(output);
        Assert.Equal("ssff", SavedSublayers(again.RootElement.GetProperty("modelDirectory").GetString()!));
    }

    [Fact]
    public void Finetune_AnotherOrderThanTheCheckpoints_OrABadOrder_ExitsWith2AndSaysWhatWasExpected()
    {
        var model = Path.Combine(_dir, "sandwich-model");
        var config = TwoLayers with { Sieve = new BertSieveSettings { Sublayers = "ssff" } };
        using (var classifier = new BertForSequenceClassification(config)) BertCheckpoint.Save(classifier, config, model, vocabPath: null);

        var (code, _, error) = Finetune("other", "--model", model, "--sublayers", "sfsf");
        Assert.Equal(2, code);
        Assert.Contains("sieve finetune: --sublayers sfsf differs from the order ssff", error, StringComparison.Ordinal);
        Assert.Contains("--config", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "other", "model")));

        // A checkpoint without a recorded order is HF's interleaved one: reordering it is refused too.
        var plain = Path.Combine(_dir, "plain-model");
        using (var classifier = new BertForSequenceClassification(TwoLayers)) BertCheckpoint.Save(classifier, TwoLayers, plain, vocabPath: null);
        (code, _, error) = Finetune("plain", "--model", plain, "--sublayers", "ssff");
        Assert.Equal(2, code);
        Assert.Contains("interleaved", error, StringComparison.Ordinal);

        (code, _, error) = Finetune("bad", "--config", Path.Combine(_dir, "config.json"), "--sublayers", "sssfff");
        Assert.Equal(2, code);
        Assert.Contains("has 3 's' and 3 'f' but the model has 2 layers; give 2 of each (e.g. sfsf)", error, StringComparison.Ordinal);
        (code, _, error) = Finetune("bad", "--config", Path.Combine(_dir, "config.json"), "--sublayers", "sandwich(k=3)");
        Assert.Equal(2, code);
        Assert.Contains("expected sandwich(k=K) with an integer 0 ≤ K ≤ 2", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pretrain_WithSublayersAndAVariant_SavesBothInConfigJson()
    {
        File.WriteAllLines(Path.Combine(_dir, "vocab.txt"), new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Enumerable.Range(0, 20).Select(i => $"w{i}")));
        File.WriteAllLines(Path.Combine(_dir, "corpus.txt"), Enumerable.Range(0, 24).Select(i => string.Join(' ', Enumerable.Range(0, 4 + (i % 6)).Select(j => $"w{(i + (3 * j)) % 20}"))));
        var (code, output, error) = HelpTests.RunSieve("pretrain", "--data", Path.Combine(_dir, "corpus.txt"), "--vocab", Path.Combine(_dir, "vocab.txt"),
            "--config", Path.Combine(_dir, "config.json"), "--output", Path.Combine(_dir, "mlm"), "--max-length", "16", "--batch-size", "8", "--max-steps", "2",
            "--sublayers", "ssff", "--pattern", "layers(0: adaptive_span(max=16, ramp=4); *: local(1))", "--format", "json");
        Assert.True(code == 0, $"exit {code}: {error}");
        var model = JsonDocument.Parse(output).RootElement.GetProperty("modelDirectory").GetString()!;
        var saved = BertCheckpoint.ReadConfig(model).Sieve!;
        Assert.Equal("ssff", saved.Sublayers);
        Assert.StartsWith("layers(0:adaptive_span(", saved.Attention, StringComparison.Ordinal);

        // The saved model reloads with its order and its variant: pre-training it further keeps both; another order is refused.
        string[] Continue(string output, params string[] extra) => ["pretrain", "--data", Path.Combine(_dir, "corpus.txt"), "--model", model,
            "--output", Path.Combine(_dir, output), "--max-length", "16", "--batch-size", "8", "--max-steps", "1", "--format", "json", .. extra];
        (code, output, error) = HelpTests.RunSieve(Continue("mlm2"));
        Assert.True(code == 0, $"exit {code}: {error}");
        var continued = BertCheckpoint.ReadConfig(JsonDocument.Parse(output).RootElement.GetProperty("modelDirectory").GetString()!).Sieve!;
        Assert.Equal(saved, continued);
        (code, _, error) = HelpTests.RunSieve(Continue("mlm3", "--sublayers", "sfsf"));
        Assert.Equal(2, code);
        Assert.Contains("sieve pretrain: --sublayers sfsf differs from the order ssff", error, StringComparison.Ordinal);
    }
}
