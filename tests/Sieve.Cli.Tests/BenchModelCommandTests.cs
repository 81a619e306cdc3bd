// Tests of `sieve bench model` (issue 14): the real program run as a process on a tiny config (its memory runs start
// child processes of it), a preset's shape in-process, and the error paths through the real command tree.
using System.Text.Json;

namespace Sieve.Cli.Tests;

public sealed class BenchModelCommandTests
{
    private static readonly string[] _fields =
    [
        "kernel", "model", "layers", "hidden", "heads", "intermediate", "n", "batch", "pattern", "density", "forwardMs", "trainStepMs",
        "speedupVsSdpa", "trainSpeedupVsSdpa", "forwardPeakBytes", "forwardPeakVsSdpa", "repeatForwardPeakBytes", "peakBytes", "peakVsSdpa",
        "forwardLivePeakBytes", "forwardLivePeakVsSdpa", "livePeakBytes", "livePeakVsSdpa", "forwardChoices", "trainStepChoices", "linearProducts",
    ];

    // 16 positions: N = 48 only runs because the benchmark raises max_position_embeddings to N.
    private const string TinyConfig =
        """{"model_type": "bert", "vocab_size": 40, "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 12, "max_position_embeddings": 16}""";

    private static (int Code, string Output, string Error) Run(params string[] args) => CliInvocation.Run(args);

    [Fact]
    public void Model_Json_HasEveryKernel_TheRequiredFields_RatiosVsSdpa_AndMeasuredMemory()
    {
        string config = Path.Combine(Path.GetTempPath(), $"sieve-bench-model-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, TinyConfig);
        try
        {
            var (code, output, error) = HelpTests.RunSieve("bench", "model", "--config", config, "--n", "48", "--kernels", "all",
                "--repeats", "1", "--warmup", "0", "--pattern", "local(2)+global(1)", "--format", "json");
            Assert.True(code == 0, error);
            var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
            Assert.Equal(["Reference", "Sdpa", "BlockSparse", "Csr", "Banded", "Auto"], rows.Select(r => r.GetProperty("kernel").GetString()));
            foreach (var row in rows)
            {
                foreach (string field in _fields) Assert.True(row.TryGetProperty(field, out _), $"no {field} in {row}");
                Assert.Contains(row.GetProperty("linearProducts").GetString(), new[] { "512-bit", "torch" });
                Assert.Equal((48, 1, 2, 8, 2, 12), (row.GetProperty("n").GetInt32(), row.GetProperty("batch").GetInt32(), row.GetProperty("layers").GetInt32(),
                    row.GetProperty("hidden").GetInt32(), row.GetProperty("heads").GetInt32(), row.GetProperty("intermediate").GetInt32()));
                Assert.Equal(Path.GetFileName(config), row.GetProperty("model").GetString());
                // Local₂ + Global₁ keeps 7N − 12 entries: 324 of 48².
                Assert.Equal(324.0 / (48 * 48), row.GetProperty("density").GetDouble(), 12);
                Assert.True(row.GetProperty("forwardMs").GetDouble() > 0 && row.GetProperty("trainStepMs").GetDouble() > 0);
                foreach (string reading in new[] { "forwardPeakBytes", "peakBytes", "forwardLivePeakBytes", "livePeakBytes" })
                {
                    var value = row.GetProperty(reading);
                    if (File.Exists("/proc/self/status"))
                        Assert.True(value.ValueKind == JsonValueKind.Number && value.GetInt64() >= 0, $"{reading} in {row}: {error}");
                    else
                        Assert.Equal(JsonValueKind.Null, value.ValueKind);
                }
            }
            var sdpa = rows.Single(r => r.GetProperty("kernel").GetString() == "Sdpa");
            Assert.Equal(1.0, sdpa.GetProperty("speedupVsSdpa").GetDouble());
            var csr = rows.Single(r => r.GetProperty("kernel").GetString() == "Csr");
            Assert.Equal(sdpa.GetProperty("trainStepMs").GetDouble() / csr.GetProperty("trainStepMs").GetDouble(), csr.GetProperty("trainSpeedupVsSdpa").GetDouble(), 9);
            if (sdpa.GetProperty("peakBytes").ValueKind == JsonValueKind.Number && sdpa.GetProperty("peakBytes").GetInt64() > 0)
            {
                Assert.Equal((double)csr.GetProperty("peakBytes").GetInt64() / sdpa.GetProperty("peakBytes").GetInt64(),
                    csr.GetProperty("peakVsSdpa").GetDouble(), 9);
            }
            // The auto kernel reports one choice per layer (here one kernel for both layers, or each with its count).
            var auto = rows.Single(r => r.GetProperty("kernel").GetString() == "Auto");
            Assert.Matches(@"^(Sdpa|BlockSparse|Csr)(×\d)?(\+(BlockSparse|Csr)×\d)*$", auto.GetProperty("forwardChoices").GetString()!);
            Assert.Equal(JsonValueKind.Null, csr.GetProperty("forwardChoices").ValueKind);
            Assert.Contains("[bench]", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Model_MiniLMPreset_RunsTheBuiltInModelsShape()
    {
        var (code, output, error) = Run("bench", "model", "--preset", "minilm", "--n", "16", "--kernels", "sdpa,csr", "--repeats", "1",
            "--warmup", "0", "--no-memory", "--format", "json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["Sdpa", "Csr"], rows.Select(r => r.GetProperty("kernel").GetString()));
        Assert.All(rows, r => Assert.Equal(("minilm", 6, 384, 12, 1536, "local(64)+global(2)"), (r.GetProperty("model").GetString(), r.GetProperty("layers").GetInt32(),
            r.GetProperty("hidden").GetInt32(), r.GetProperty("heads").GetInt32(), r.GetProperty("intermediate").GetInt32(), r.GetProperty("pattern").GetString())));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("peakBytes").ValueKind));
    }

    [Theory]
    [InlineData("--n", "0", "--n must be whole numbers of at least 1, got '0'")]
    [InlineData("--n", "512,-1", "got '-1'")]
    [InlineData("--preset", "gpt2", "unknown preset 'gpt2'; choose bert-base or minilm")]
    [InlineData("--pattern", "learned_diagonal(max_offset=16)+global(1)", "is a learnable pattern: it has no fixed layout to time")]
    [InlineData("--pattern", "local(2", "local(2")]
    [InlineData("--kernels", "sdpa,flash", "unknown kernel 'flash'")]
    [InlineData("--config", "/no/such/config.json", "no such config file")]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    public void Model_BadInput_ExitsWith2_AndSaysWhat(string option, string value, string message)
    {
        var (code, output, error) = Run("bench", "model", option, value, "--no-memory");
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public void Model_Help_DescribesTheMemoryMethod_AndHidesTheChildOption()
    {
        var (code, output, _) = Run("bench", "model", "--help");
        Assert.Equal(0, code);
        Assert.Contains("VmHWM", output, StringComparison.Ordinal);
        Assert.Contains("--preset", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--measure-memory", output, StringComparison.Ordinal);
    }
}
