// The sparse-kernel benchmark set: every case parses, and the window patterns are the ones the Banded kernel splits
// (BigBird's random blocks are not; they run on BlockSparse).
using Sieve.Benchmarking;
using Sieve.Kernels;
using Sieve.Patterns;

namespace Sieve.Tests.Benchmarking;

public sealed class AttentionBenchmarkSuiteTests
{
    [Fact]
    public void SparseKernels_ParseAndSplitAsExpected()
    {
        var cases = AttentionBenchmarkSuite.Named(AttentionBenchmarkSuite.SparseKernelsName);
        Assert.Equal(["local(64)+global(2)", "bigbird_blocks(64,3)", "longformer(128,1,2)", "local(2)+global(2)"], cases.Select(c => c.Pattern));
        var kernel = new BandedKernel();
        foreach (var c in cases)
        {
            var layout = AttentionBenchmark.Layout(PatternSpec.Parse(c.Pattern), new AttentionBenchmarkOptions { Length = c.Length });
            Assert.Equal(!c.Pattern.StartsWith("bigbird", StringComparison.Ordinal), kernel.Handles(layout));
        }
    }

    [Fact]
    public void UnknownSuite_NamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => AttentionBenchmarkSuite.Named("glue"));
        Assert.Contains(AttentionBenchmarkSuite.SparseKernelsName, error.Message, StringComparison.Ordinal);
    }
}
