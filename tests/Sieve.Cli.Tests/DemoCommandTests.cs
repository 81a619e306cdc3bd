// `sieve demo` at a tiny budget: by default the built-in pre-trained model fine-tuned on the bundled SST-2 sample
// (nothing read from ../shared), with a learnable pattern trained towards local(2)+global(2)'s ρ; `--task needle` the
// from-scratch long-range task; bad budgets exit 2 before any training.
using System.Text.Json;

namespace Sieve.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliInvocation.Run(args);

    [Fact]
    public void Default_task_fine_tunes_the_built_in_model_on_the_bundled_SST2_sample_and_writes_the_report()
    {
        var report = Path.Combine(_dir, "sst2");
        var (code, output, error) = Run("demo", "--train-examples", "32", "--dev-examples", "16", "--seeds", "1",
            "--pattern", "local(2)+global(2)", "--pattern", "aaa(local=2)", "-o", report, "--format", "json");
        Assert.True(code == 0, error);

        var runs = JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["local(2)+global(2)", "aaa(local=2)"], runs.Select(r => r.GetProperty("pattern").GetString()));
        Assert.All(runs, r => Assert.InRange(r.GetProperty("accuracy").GetDouble(), 0, 1));
        // local(2)+global(2) on sentences of a dozen tokens keeps about a third of the map: ρ well inside (0, 1).
        Assert.InRange(runs[0].GetProperty("sparsity").GetDouble(), 0.3, 0.9);

        // The bundled sample, unchanged: 4,000 training rows and the whole dev set, each with the header.
        Assert.Equal(4001, File.ReadLines(Path.Combine(report, "data", "train.tsv")).Count());
        Assert.Equal(873, File.ReadLines(Path.Combine(report, "data", "dev.tsv")).Count());
        var markdown = File.ReadAllText(Path.Combine(report, "README.md"));
        Assert.Contains("minilm", markdown, StringComparison.Ordinal);
        // AAA's target is local(2)+global(2)'s ρ on the dev sentences the table is read on, not on the shorter training ones.
        var target = System.Text.RegularExpressions.Regex.Match(markdown, @"Learnable patterns train towards ρ = (0\.\d{3}), the ρ of `local\(2\)\+global\(2\)` on the same dev sentences");
        Assert.True(target.Success, markdown);
        Assert.Equal(Math.Round(runs[0].GetProperty("sparsity").GetDouble(), 3), double.Parse(target.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("peak memory (process)", markdown, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(report, "patterns.png")).Length > 0);
        Assert.True(new FileInfo(Path.Combine(report, "accuracy-vs-sparsity.png")).Length > 0);
        // No checkpoints or saved models: a run folder holds its settings and logs only.
        Assert.Empty(Directory.GetDirectories(Path.Combine(report, "runs"), "checkpoint-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(Path.Combine(report, "runs"), "model", SearchOption.AllDirectories));
    }

    [Fact]
    public void Needle_task_trains_small_encoders_from_scratch()
    {
        var report = Path.Combine(_dir, "needle");
        var (code, output, error) = Run("demo", "--task", "needle", "--steps", "2", "--train-examples", "32", "--length", "32", "--seeds", "1",
            "--pattern", "local(2)+global(1)", "-o", report);
        Assert.True(code == 0, error);
        Assert.Contains("local(2)+global(1)", output, StringComparison.Ordinal);
        Assert.Contains("peak extra memory", output, StringComparison.Ordinal);
        Assert.Contains("needle", File.ReadAllText(Path.Combine(report, "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--train-examples", "5000", "the bundled sample holds 4000 training sentences")]
    [InlineData("--dev-examples", "0", "the SST-2 dev set has 872 sentences")]
    [InlineData("--pattern", "local(2", "local(2")]
    [InlineData("--layers", "3", "--layers applies to --task needle only")]
    public void A_budget_or_spec_the_demo_cannot_run_exits_2_before_training(string option, string value, string message)
    {
        var report = Path.Combine(_dir, "bad");
        var (code, _, error) = Run("demo", option, value, "-o", report);
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(report, "runs")));
    }
}
