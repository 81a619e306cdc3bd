// `sieve extend` and --max-positions as a user runs them: the tiny-bert fixture extended past its 40 positions encodes a
// longer input under a sparse pattern, a bad size or a taken folder exits 2 naming the reason, and pre-training continues
// on lines longer than the model's table with --max-positions, saving the longer model.
using System.Text.Json;
using Sieve.TestSupport;

namespace Sieve.Cli.Tests;

public sealed class ExtendCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-extend-").FullName;

    private static string Tiny => Fixtures.PathOf("tiny-bert");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Extend_ThenEncode_ReadsAnInputPastTheOldPositions_WithAPattern()
    {
        var output = Path.Combine(_dir, "long");
        var (code, stdout, stderr) = HelpTests.RunSieve("extend", "--model", Tiny, "--max-positions", "160", "-o", output, "--format", "json");
        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(40, json.RootElement.GetProperty("storedPositions").GetInt32());
            Assert.Equal(160, json.RootElement.GetProperty("maxPositions").GetInt32());
        }

        // 150 words: the original truncates to its 40 positions, the extended model reads them all.
        var text = string.Join(' ', Enumerable.Range(0, 150).Select(i => $"w{i % 50}"));
        (code, stdout, stderr) = HelpTests.RunSieve("encode", "--model", output, "--text", text, "--pattern", "local(2)+global(1)", "--format", "json");
        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(152, json.RootElement.GetProperty("inputIds").GetArrayLength());
            Assert.Equal(0, json.RootElement.GetProperty("truncatedTokens").GetInt32());
            Assert.True(json.RootElement.GetProperty("sparsity").GetDouble() > 0.9);
        }
        (code, stdout, _) = HelpTests.RunSieve("encode", "--model", Tiny, "--text", text, "--format", "json");
        Assert.Equal(0, code);
        using (var json = JsonDocument.Parse(stdout))
            Assert.Equal(40, json.RootElement.GetProperty("inputIds").GetArrayLength());
    }

    [Fact]
    public void Extend_RefusesShrinkingAndATakenFolder_WithExit2()
    {
        var (code, _, error) = HelpTests.RunSieve("extend", "--model", Tiny, "--max-positions", "20", "-o", Path.Combine(_dir, "short"));
        Assert.Equal(2, code);
        Assert.Contains("would drop learned rows", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "short")));

        var taken = Directory.CreateDirectory(Path.Combine(_dir, "taken")).FullName;
        File.WriteAllText(Path.Combine(taken, "x"), "");
        (code, _, error) = HelpTests.RunSieve("extend", "--model", Tiny, "--max-positions", "80", "-o", taken);
        Assert.Equal(2, code);
        Assert.Contains("not empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_CitesLongformer()
    {
        var (code, output, _) = HelpTests.RunSieve("extend", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Beltagy et al. 2020", output, StringComparison.Ordinal);
        Assert.Contains("--max-positions", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Pretrain_WithMaxPositions_ContinuesOnLongerLines_AndSavesTheLongerModel()
    {
        using var corpus = new TinyCorpus();
        var (code, _, error) = HelpTests.RunSieve(corpus.Pretrain("first", "--max-steps", "1"));
        Assert.True(code == 0, error);
        var model = Path.Combine(corpus.Folder, "first", "model");
        var longer = Path.Combine(corpus.Folder, "long.txt");
        File.WriteAllLines(longer, Enumerable.Range(0, 12).Select(i => string.Join(' ', Enumerable.Range(0, 50).Select(j => $"w{(i + j) % 30}"))));

        string[] Continue(string run, params string[] extra) =>
        [
            "pretrain", "--model", model, "--data", longer, "--output", Path.Combine(corpus.Folder, run), "--max-length", "56",
            "--batch-size", "4", "--validation-share", "0.25", "--max-steps", "1", "--pattern", "local(2)+global(1)", "--format", "json", .. extra,
        ];
        (code, _, error) = HelpTests.RunSieve(Continue("refused"));
        Assert.Equal(2, code);
        Assert.Contains("exceeds the model's 32 position embeddings", error, StringComparison.Ordinal);
        Assert.Contains("--max-positions", error, StringComparison.Ordinal);
        Assert.Contains("sieve extend", error, StringComparison.Ordinal);

        var (ok, output, stderr) = HelpTests.RunSieve(Continue("extended", "--max-positions", "64"));
        Assert.True(ok == 0, stderr);
        Assert.Contains("positions: 32 → 64", stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var saved = json.RootElement.GetProperty("modelDirectory").GetString()!;
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(saved, "config.json")));
        Assert.Equal(64, config.RootElement.GetProperty("max_position_embeddings").GetInt32());
    }
}
