// `sieve pretrain` run as its own process on a generated corpus, as a user runs it: the JSON summary (steps, lines,
// held-out MLM loss and accuracy, ρ, the saved model directory that finetune takes), and exit code 2 with a message
// for input the user must fix.
using System.Text.Json;

namespace Sieve.Cli.Tests;

public sealed class PretrainCommandTests : IDisposable
{
    // vocab.txt, config.json and corpus.txt of a run of a second or two (shared with the run-folder tests).
    private readonly TinyCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    private string[] Args(params string[] extra) =>
    [
        "pretrain", "--data", Path.Combine(_corpus.Folder, "corpus.txt"), "--vocab", Path.Combine(_corpus.Folder, "vocab.txt"),
        "--output", Path.Combine(_corpus.Folder, "run"), "--max-length", "16", "--batch-size", "8", .. extra,
    ];

    [Fact]
    public void Pretrain_Json_ReportsTheRunAndSavesAModel()
    {
        var (code, output, error) = HelpTests.RunSieve(Args("--config", Path.Combine(_corpus.Folder, "config.json"), "--max-steps", "3",
            "--pattern", "layers(0: full; 1: local(1)+global(1))", "--validation-share", "0.25", "--mlm-probability", "0.3", "--format", "json"));

        Assert.True(code == 0, $"exit {code}: {error}");
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Completed", json.GetProperty("outcome").GetString());
        Assert.Equal(3, json.GetProperty("steps").GetInt32());
        Assert.Equal(30, json.GetProperty("trainLines").GetInt32());
        Assert.Equal(10, json.GetProperty("validationLines").GetInt32());
        Assert.InRange(json.GetProperty("validationLoss").GetDouble(), 0.5, 10);
        Assert.InRange(json.GetProperty("validationAccuracy").GetDouble(), 0, 1);
        Assert.True(json.GetProperty("maskedTokens").GetInt64() > 0);
        // Dense layer 0 adds 0, the sparse layer 1 more than 0: the mean lies strictly between.
        Assert.InRange(json.GetProperty("sparsity").GetDouble(), 0.01, 0.99);
        Assert.StartsWith("layers(", json.GetProperty("pattern").GetString(), StringComparison.Ordinal);
        var model = json.GetProperty("modelDirectory").GetString()!;
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(model, "vocab.txt")));
        Assert.Contains("\"attention_pattern\"", File.ReadAllText(Path.Combine(model, "config.json")), StringComparison.Ordinal);
        Assert.Contains("training lines", error, StringComparison.Ordinal);   // status notes and progress go to stderr
    }

    [Fact]
    public void Pretrain_WithoutModelOrConfig_ExitsWith2AndSaysWhatToGive()
    {
        var (code, _, error) = HelpTests.RunSieve(Args("--max-steps", "1"));
        Assert.Equal(2, code);
        Assert.Contains("sieve pretrain:", error, StringComparison.Ordinal);
        Assert.Contains("--config", error, StringComparison.Ordinal);
    }
}
