// The benchmark sets: every sparse-kernel case parses, and the window patterns are the ones the Banded kernel splits
// (BigBird's random blocks are not; they run on BlockSparse); the auto set is those patterns over 128 … 8192.
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
    public void Auto_IsEverySparseKernelPattern_AtEveryPowerOfTwoFrom128To8192()
    {
        var cases = AttentionBenchmarkSuite.Named(AttentionBenchmarkSuite.AutoName);
        int[] lengths = [128, 256, 512, 1024, 2048, 4096, 8192];
        var expected = AttentionBenchmarkSuite.SparseKernels.SelectMany(c => lengths.Select(n => new AttentionBenchmarkCase(c.Pattern, n)));
        Assert.Equal(expected, cases);
    }

    [Fact]
    public void UnknownSuite_NamesTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => AttentionBenchmarkSuite.Named("glue"));
        Assert.Contains(AttentionBenchmarkSuite.SparseKernelsName, error.Message, StringComparison.Ordinal);
        Assert.Contains(AttentionBenchmarkSuite.AutoName, error.Message, StringComparison.Ordinal);
    }
}
