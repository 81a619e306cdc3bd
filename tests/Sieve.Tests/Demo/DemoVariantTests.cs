// The demo compares attention variants next to patterns (issue 7): variant specs and layer schedules of both train
// with the same budget, the report lists them, and only the patterns are pictured.
using Sieve.Demo;
using Sieve.Patterns;

namespace Sieve.Tests.Demo;

public sealed class DemoVariantTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-demo-variants-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The demo runner tests' tiny budget with two layers, so that a sublayer order can differ from the interleaved one.
    private static DemoOptions Tiny => DemoRunnerTests.Tiny with { Layers = 2 };

    [Fact]
    public void Variants_TrainBesidePatterns_AndTheReportListsThem()
    {
        var options = Tiny with { Patterns = ["local(1)", "linformer(k=4)", "layers(0: adaptive_span(max=16,ramp=4); *: local(1))"] };
        var runs = DemoRunner.Run(options, _dir);
        Assert.Equal(["local(1)", "linformer(k=4,share=none)", "layers(0:adaptive_span(max=16,ramp=4);*:local(1))"], runs.Select(r => r.Pattern));
        Assert.All(runs, r => Assert.InRange(r.Accuracy, 0.0, 1.0));
        Assert.All(runs, r => Assert.True(double.IsFinite(r.FinalLoss)));
        DemoReport.Write(_dir, options, runs, TimeSpan.FromSeconds(1));
        string markdown = File.ReadAllText(Path.Combine(_dir, DemoReport.MarkdownFile));
        Assert.Contains("`linformer(k=4,share=none)`", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, DemoReport.PatternsPicture)));
    }

    [Fact]
    public void Sublayers_BuildEveryModelInThatOrder_AndABadOrderFailsBeforeTraining()
    {
        var options = Tiny with { Patterns = ["full"], Sublayers = "sandwich(k=1)" };
        Assert.Equal("ssff", DemoRunner.ModelConfig(options).Sieve?.Sublayers);
        var runs = DemoRunner.Run(options, _dir);
        DemoReport.Write(_dir, options, runs, TimeSpan.FromSeconds(1));
        Assert.Contains("hidden size 8, sublayers ssff)", File.ReadAllText(Path.Combine(_dir, DemoReport.MarkdownFile)), StringComparison.Ordinal);

        var error = Assert.Throws<SpecException>(() => DemoRunner.Run(options with { Sublayers = "sssfff" }, Path.Combine(_dir, "bad")));
        Assert.Contains("but the model has 2 layers", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")));
    }
}
