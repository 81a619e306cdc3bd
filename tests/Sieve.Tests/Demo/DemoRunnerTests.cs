// The demo's grid on a tiny budget: one run per (pattern, seed) in order, ρ measured on the real layouts (Local_1's
// closed form), and a report folder with the markdown table, the pattern picture and the plot.
using Sieve.Data.Needle;
using Sieve.Demo;
using Sieve.Learnable;
using Sieve.Tests.Training;
using SkiaSharp;

namespace Sieve.Tests.Demo;

[Collection(GlobalRandomCollection.Name)]
public sealed class DemoRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static DemoOptions Tiny => new()
    {
        Patterns = ["local(1)", "full"],
        Task = new NeedleTaskOptions { MinLength = 20, MaxLength = 20, MinDistance = 8, Classes = 2, HaystackSymbols = 4 },
        TrainExamples = 16,
        DevExamples = 10,
        Seeds = [3],
        Steps = 2,
        BatchSize = 8,
        HiddenSize = 8,
        Layers = 1,
        Heads = 2,
    };

    [Fact]
    public void Runs_EveryPatternAndSeed_MeasuringTheSparsityOfTheLayoutsUsed()
    {
        var runs = DemoRunner.Run(Tiny, _dir);
        Assert.Equal(["local(1)", "full"], runs.Select(r => r.Pattern));
        Assert.Equal(1 - (3.0 * 20 - 2) / 400, runs[0].Sparsity, 12);   // Local_1 keeps 3N − 2 of N² at N = 20
        Assert.Equal(0.0, runs[1].Sparsity, 12);
        Assert.All(runs, r => Assert.InRange(r.Accuracy, 0.0, 1.0));
        Assert.All(runs, r => Assert.True(double.IsFinite(r.FinalLoss)));
        Assert.True(File.Exists(Path.Combine(_dir, "runs", "00-seed3", "trainer_log.jsonl")));
    }

    [Fact]
    public void Report_WritesTheTableAndPicturesThatDecode()
    {
        DemoRun[] runs =
        [
            new("local(2)", 1, 0.25, 0.96, 5, 1 << 20, 1.38), new("local(2)", 2, 0.27, 0.96, 6, 1 << 20, 1.38),
            new("local(2)+global(1)", 1, 0.99, 0.95, 9, 2 << 20, 0.05),
        ];
        DemoReport.Write(_dir, Tiny with { Patterns = ["local(2)", "local(2)+global(1)"] }, runs, TimeSpan.FromMinutes(1));
        var rows = DemoReport.Summarise(runs);
        Assert.Equal(0.26, rows[0].Accuracy, 12);
        Assert.Equal(0.25, rows[0].MinAccuracy);
        Assert.Equal(0.27, rows[0].MaxAccuracy);
        var markdown = File.ReadAllText(Path.Combine(_dir, DemoReport.MarkdownFile));
        Assert.Contains("| `local(2)` | 0.960 | 26.0 % | 25.0–27.0 % | 5.5 s | 1 MiB |", markdown, StringComparison.Ordinal);
        foreach (var picture in new[] { DemoReport.PatternsPicture, DemoReport.AccuracyPlot })
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(_dir, picture));
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width > 100 && bitmap.Height > 50);
        }
    }

    [Fact]
    public void ALearnablePattern_TrainsTowardsTheTarget_AndReportsItsHardenedSparsity()
    {
        var options = Tiny with
        {
            Patterns = ["learned_diagonal(max_offset=4, level=task)+global(1)"],
            Steps = 6,
            PatternLearning = new GumbelOptions { LearningRate = 0.5, InitialLogit = 1 },
            SparsityTarget = new SparsityLoss { Target = 0.9, Alpha = 10 },
        };
        var run = Assert.Single(DemoRunner.Run(options, _dir));
        Assert.Equal("learned_diagonal(max_offset=4,level=task", run.Pattern[..40]);
        // The hinge drove every offset but the diagonal out: ρ of the hardened pattern (global(1) and at most the kept
        // offsets) is far above the 0.8 that the initial, all-kept band of offsets 0..4 would give at N = 20.
        Assert.True(run.Sparsity > 0.8, $"ρ = {run.Sparsity}");
        var log = File.ReadAllText(Path.Combine(_dir, "runs", "00-seed3", "trainer_log.jsonl"));
        Assert.Contains("sparsity_loss", log, StringComparison.Ordinal);
        // A demo report draws the fixed patterns only.
        DemoReport.Write(_dir, options with { Patterns = ["local(1)", options.Patterns[0]] }, [run], TimeSpan.FromSeconds(1));
        Assert.True(File.Exists(Path.Combine(_dir, DemoReport.PatternsPicture)));
    }

    [Fact]
    public void ABadPattern_FailsBeforeAnyTraining()
    {
        var error = Assert.Throws<Sieve.Patterns.SpecException>(() => DemoRunner.Run(Tiny with { Patterns = ["full", "locl(1)"] }, _dir));
        Assert.Contains("did you mean 'local'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs")));
    }
}
