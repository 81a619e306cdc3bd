// BenchmarkDotNet timing of CsrLayout.Build at long length: one layout per head of a 12-head layer, built in parallel
// by PatternLayouts.BuildAll, as a model's first layer would need them (docs/BENCHMARKS.md).
using BenchmarkDotNet.Attributes;
using Sieve.Patterns;

namespace Sieve.Bench;

/// <summary>Builds the 12 head layouts of a long-sequence pattern; MemoryDiagnoser reports the bytes allocated.</summary>
[MemoryDiagnoser]
public class LayoutBuildBenchmark
{
    /// <summary>The shapes measured: sequence length and heads.</summary>
    public const int Length = 65_536, Heads = 12;

    private Pattern _pattern = null!;

    /// <summary>The pattern spec.</summary>
    [Params("local(64)+global(2)", "local(64)+global(2)+random(2)")]
    public string Spec { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _pattern = LayoutReport.PatternOf(Spec);

    [Benchmark]
    public CsrLayout[] BuildTwelveHeads() => PatternLayouts.BuildAll(_pattern, new PatternContext(Length), 1, Heads);
}
