// Tests of `sieve bench`: the real program run as a process on a tiny shape (the memory runs start child processes of
// it), and the error paths and calibration in-process through the real command tree.
using System.Text.Json;
using Sieve.Kernels;

namespace Sieve.Cli.Tests;

public sealed class BenchCommandTests
{
    private static readonly string[] _fields =
        ["kernel", "n", "pattern", "density", "forwardMs", "trainStepMs", "peakBytes", "speedupVsSdpa", "trainSpeedupVsSdpa"];

    private static (int Code, string Output, string Error) Run(params string[] args) => CliInvocation.Run(args);

    [Fact]
    public void Attention_Json_HasEveryKernel_TheRequiredFields_AndMeasuredMemory()
    {
        var (code, output, error) = HelpTests.RunSieve(
            "bench", "attention", "--n", "64", "--heads", "2", "--repeats", "1", "--warmup", "0", "--pattern", "local(2)+global(1)", "--format", "json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["Reference", "Sdpa", "BlockSparse", "Csr", "Banded", "Auto"], rows.EnumerateArray().Select(r => r.GetProperty("kernel").GetString()));
        foreach (var row in rows.EnumerateArray())
        {
            foreach (string field in _fields) Assert.True(row.TryGetProperty(field, out _), $"no {field} in {row}");
            Assert.Equal(64, row.GetProperty("n").GetInt32());
            Assert.Equal("local(2)+global(1)", row.GetProperty("pattern").GetString());
            // Local₂ + Global₁ keeps 7N − 12 entries: 436 of 64².
            Assert.Equal(436.0 / 4096, row.GetProperty("density").GetDouble(), 12);
            Assert.True(row.GetProperty("forwardMs").GetDouble() > 0);
            Assert.True(row.GetProperty("trainStepMs").GetDouble() > 0);
            // Peak memory comes from a child process reading /proc; where /proc exists it is a number, else null.
            var peak = row.GetProperty("peakBytes");
            foreach (var reading in new[] { peak, row.GetProperty("forwardLivePeakBytes"), row.GetProperty("livePeakBytes") })
            {
                if (File.Exists("/proc/self/status"))
                    Assert.True(reading.ValueKind == JsonValueKind.Number && reading.GetInt64() >= 0, $"{reading} in {row}: {error}");
                else
                    Assert.Equal(JsonValueKind.Null, reading.ValueKind);
            }
        }
        var sdpa = rows.EnumerateArray().Single(r => r.GetProperty("kernel").GetString() == "Sdpa");
        Assert.Equal(1.0, sdpa.GetProperty("speedupVsSdpa").GetDouble());
        var csr = rows.EnumerateArray().Single(r => r.GetProperty("kernel").GetString() == "Csr");
        Assert.Equal(sdpa.GetProperty("forwardMs").GetDouble() / csr.GetProperty("forwardMs").GetDouble(), csr.GetProperty("speedupVsSdpa").GetDouble(), 9);
        // Auto's pick is judged by the chosen kernel's own row against the fastest row of the same rounds.
        var auto = rows.EnumerateArray().Single(r => r.GetProperty("kernel").GetString() == "Auto");
        var others = rows.EnumerateArray().Where(r => r.GetProperty("kernel").GetString() != "Auto").ToList();
        foreach (var (time, choice, pick) in new[] { ("forwardMs", "forwardChoice", "forwardPickVsFastest"), ("trainStepMs", "trainStepChoice", "trainPickVsFastest") })
        {
            var chosen = others.Single(r => r.GetProperty("kernel").GetString() == auto.GetProperty(choice).GetString());
            double fastest = others.Min(r => r.GetProperty(time).GetDouble());
            Assert.Equal(chosen.GetProperty(time).GetDouble() / fastest, auto.GetProperty(pick).GetDouble(), 9);
            Assert.Equal(JsonValueKind.Null, sdpa.GetProperty(pick).ValueKind);
        }
        Assert.True(auto.GetProperty("autoChoiceMs").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, sdpa.GetProperty("autoChoiceMs").ValueKind);
        Assert.Contains("[bench]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Attention_Table_WithoutMemory_ListsTheChosenKernelsAtEachLength()
    {
        var (code, output, error) = Run("bench", "attention", "--n", "32,48", "--heads", "1", "--dim", "8", "--repeats", "1",
            "--kernels", "sdpa,block-sparse", "--no-memory", "--pattern", "local(3)");
        Assert.True(code == 0, error);
        Assert.Contains("BlockSparse", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Reference", output, StringComparison.Ordinal);
        Assert.Contains("│ 48 ", output, StringComparison.Ordinal);
        Assert.Contains("n/a", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--pattern", "local(2", "local(2")]
    [InlineData("--n", "0", "--n must be")]
    [InlineData("--n", "64,x", "'x'")]
    [InlineData("--kernels", "sdpa,flash", "unknown kernel 'flash'")]
    [InlineData("--heads", "0", "--heads must be at least 1")]
    [InlineData("--suite", "nope", "unknown benchmark suite 'nope'")]
    public void Attention_BadInput_ExitsWith2_AndSaysWhat(string option, string value, string message)
    {
        var (code, output, error) = Run("bench", "attention", option, value, "--no-memory");
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public void Attention_Help_DescribesTheMemoryMethod_AndHidesTheChildOption()
    {
        var (code, output, _) = Run("bench", "attention", "--help");
        Assert.Equal(0, code);
        Assert.Contains("VmHWM", output, StringComparison.Ordinal);
        Assert.Contains("child process", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--measure-memory", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_WritesAFileTheAutoKernelReads()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sieve-calibrate-{Guid.NewGuid():N}");
        string path = Path.Combine(folder, "calibration.json");
        try
        {
            var (code, output, error) = Run("bench", "calibrate", "--n", "32,64,96", "--densities", "0.1,0.5", "--heads", "1", "--dim", "8",
                "--repeats", "1", "--block-size", "16", "-o", path);
            Assert.True(code == 0, error);
            Assert.Contains(path, output, StringComparison.Ordinal);
            var model = AttentionCostModel.Load(path);
            Assert.Equal(16, model.BlockSize);
            Assert.Equal(AttentionCostModel.Candidates.Order(), model.Forward.Keys.Order());
            Assert.Equal(AttentionCostModel.Candidates.Order(), model.TrainStep.Keys.Order());
            Assert.NotNull(model.Machine);
            // Per length: the two windows with their global tokens, and one BigBird blocks pattern (no random block fits).
            Assert.Contains("calibrating 9/9", error, StringComparison.Ordinal);
            Assert.Contains("local(", error, StringComparison.Ordinal);
            Assert.Contains("bigbird_blocks(32,0", error, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
