// Issue 14: nothing on a sparse model's path allocates N × N — not the masks, biases or positions around the kernel.
// A whole model (embeddings, two layers, pooler) with hidden size 4 at N = 8192 makes one N × N buffer (64 MiB even as
// bool) far larger than everything else a forward holds (linear in N: about 12 MiB here for a forward+backward), so the
// peak memory of a forward and of a forward+backward shows whether one exists.
using Sieve.Benchmarking;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Tests.Training;

namespace Sieve.Tests.Modeling;

// Alone: a test running beside it would raise the process's resident high-water mark.
[Collection(GlobalRandomCollection.Name)]
public sealed class SparseModelMemoryTests
{
    private static readonly ModelBenchmarkOptions _tiny = new()
    {
        Config = new BertConfig { VocabSize = 64, HiddenSize = 4, NumHiddenLayers = 2, NumAttentionHeads = 1, IntermediateSize = 4 },
        Length = 8192,
    };

    // A narrow window keeps the layout (O(nnz)) small next to N²; the global token still reaches every row and column.
    private static readonly Pattern _pattern = PatternSpec.Parse("local(4)+global(1)");

    [Theory]
    [InlineData(AttentionKernelKind.Csr)]
    [InlineData(AttentionKernelKind.BlockSparse)]
    [InlineData(AttentionKernelKind.Banded)]
    public void SparseKernels_InAWholeModel_NeverHoldAnNByNBuffer(AttentionKernelKind kernel)
    {
        if (!PeakMemory.TryReset()) return;   // no /proc or no reset: the process's earlier peak would hide the reading
        var peak = ModelBenchmark.MeasurePeakExtra(_pattern, _tiny, kernel);
        long nByN = (long)_tiny.Length * _tiny.Length;   // one bool N × N mask; a float one is 4×
        foreach (var (what, bytes) in new[] { ("forward", peak.Forward), ("repeated forward", peak.RepeatForward), ("forward+backward", peak.TrainStep) })
        {
            Assert.NotNull(bytes);
            Assert.True(bytes < nByN / 2, $"{kernel}: the {what} peaks at {bytes} bytes above the setup; one N × N bool buffer is {nByN}.");
        }
    }

    [Fact]
    public void TheMeasurement_SeesTheDenseKernelsNByNBuffers()
    {
        // The control, at the same length and threshold: Sdpa's N × N masks and scores show in the reading. Below 32 MiB
        // glibc may serve a buffer from heap pages earlier tests left resident, which the high-water mark never sees;
        // an N × N buffer at 8192 is past that (64 MiB as bool), so it always comes as fresh pages.
        if (!PeakMemory.TryReset()) return;
        var peak = ModelBenchmark.MeasurePeakExtra(_pattern, _tiny, AttentionKernelKind.Sdpa);
        long nByN = (long)_tiny.Length * _tiny.Length;
        Assert.True(peak.Forward > nByN / 2, $"Sdpa's forward peaks at {peak.Forward} bytes above the setup; one N × N bool buffer is {nByN}.");
    }
}
