// `sieve bench attention --variants` (issue 7): every variant is timed in both modes on the benchmark's shape, its
// gradients flow, and the peak-memory run sees the variant's own buffers grow with N.
using Sieve.Benchmarking;
using Sieve.Specs;
using Sieve.Variants;

namespace Sieve.Tests.Variants;

public sealed class VariantBenchmarkTests
{
    [Fact]
    public void Run_TimesEveryVariant_OnTheBenchmarksShape()
    {
        var options = new AttentionBenchmarkOptions { Length = 32, Heads = 2, Dim = 4, Batch = 2, Repeats = 1, Warmup = 1 };
        string[] specs = ["linformer(k=8)", "synthesizer(kind=random)", "adaptive_span(max=16,ramp=4)", "sparsemax", "lsh(buckets=4,rounds=1,chunk=8)", "sparse_transformer(kind=fixed,l=8,c=2)"];
        var results = VariantBenchmark.Run([.. specs.Select(VariantSpec.Parse)], options);
        Assert.Equal(specs.Select(s => VariantSpec.Parse(s).ToString()), results.Select(r => r.Spec));
        Assert.All(results, r =>
        {
            Assert.Equal((32, 2, 2, 4), (r.Length, r.Batch, r.Heads, r.Dim));
            Assert.True(r.ForwardMs > 0 && r.TrainStepMs > 0);
            Assert.Null(r.PeakBytes);
        });
    }

    [Fact]
    public void PeakMemory_OfAQuadraticVariant_GrowsWithTheLength()
    {
        if (PeakMemory.HighWaterMark() is null || !PeakMemory.TryReset()) return;   // no /proc or no reset: the test process's earlier peak would hide it
        var sparsemax = VariantSpec.Parse("sparsemax");
        var small = VariantBenchmark.MeasurePeakExtraBytes(sparsemax, new AttentionBenchmarkOptions { Length = 64, Heads = 2, Dim = 8 });
        var large = VariantBenchmark.MeasurePeakExtraBytes(sparsemax, new AttentionBenchmarkOptions { Length = 1024, Heads = 2, Dim = 8 });
        // One float32 score map [1, 2, 1024, 1024] is 8 MiB; the forward and backward keep several.
        Assert.True(large > 8L << 20, $"peak {large} bytes at N = 1024");
        Assert.True(large > small);
    }
}
