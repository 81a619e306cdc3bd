// `sieve bench attention --variants` (issue 7): every variant is timed in both modes on the benchmark's shape, its
// gradients flow, and the peak-memory run sees the variant's own buffers grow with N.
using Sieve.Benchmarking;
using Sieve.Specs;
using Sieve.Tests.Training;
using Sieve.Variants;

namespace Sieve.Tests.Variants;

// Alone: a test running beside it would raise the process's resident high-water mark.
[Collection(GlobalRandomCollection.Name)]
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
        // One float32 score map [1, 2, 3072, 3072] is 72 MiB, past glibc's largest mmap threshold (32 MiB): a smaller
        // buffer may come from heap pages that earlier tests left resident, which the high-water mark never sees.
        var large = VariantBenchmark.MeasurePeakExtraBytes(sparsemax, new AttentionBenchmarkOptions { Length = 3072, Heads = 2, Dim = 8 });
        Assert.True(large > 64L << 20, $"peak {large} bytes at N = 3072");
        Assert.True(large > small);
    }
}
