// The benchmark sets: every sparse-kernel case parses, and the window patterns are the ones the Banded kernel splits
// (BigBird's random blocks are not, nor AAA's scattered rows and columns: both run on BlockSparse); the learned AAA
// layout is the mask its model showed; the auto set is the fixed patterns over 128 … 8192.
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
        Assert.Equal(["local(64)+global(2)", "bigbird_blocks(64,3)", "longformer(128,1,2)", "local(2)+global(2)", AttentionBenchmarkSuite.LearnedAaaLayer0],
            cases.Select(c => c.Pattern));
        var kernel = new BandedKernel();
        var handled = cases.Select(c => kernel.Handles(AttentionBenchmark.Layout(PatternSpec.Parse(c.Pattern), new AttentionBenchmarkOptions { Length = c.Length })));
        Assert.Equal([true, false, true, true, false], handled);
    }

    [Fact]
    public void TheLearnedAaaLayout_IsTheMaskTheModelShowed()
    {
        // `sieve patterns show` printed nnz=12716 (sparsity 0.2239) for this layer at N = 128, per head; the benchmark
        // lays the spec out for H = 12 heads.
        var learned = AttentionBenchmarkSuite.SparseKernels.Single(c => c.Pattern == AttentionBenchmarkSuite.LearnedAaaLayer0);
        Assert.Equal(128, learned.Length);
        var layout = AttentionBenchmark.Layout(PatternSpec.Parse(learned.Pattern), new AttentionBenchmarkOptions { Length = 128, Heads = 1 });
        Assert.Equal(12716, layout.Nnz);
    }

    [Fact]
    public void Auto_IsEverySparseKernelPattern_AtEveryPowerOfTwoFrom128To8192_InRisingLength()
    {
        var cases = AttentionBenchmarkSuite.Named(AttentionBenchmarkSuite.AutoName);
        int[] lengths = [128, 256, 512, 1024, 2048, 4096, 8192];
        // Every pattern at one length before the next length: no short case runs after a long one.
        var expected = lengths.SelectMany(n => AttentionBenchmarkSuite.SparseKernels.Take(4).Select(c => new AttentionBenchmarkCase(c.Pattern, n)));
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
