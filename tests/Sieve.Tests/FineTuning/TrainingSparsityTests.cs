// The lengths that stand for a split in the sparsity penalty: midpoint quantiles of the sorted real lengths, or every
// length when there are few.
using Sieve.FineTuning;
using Sieve.Patterns;

namespace Sieve.Tests.FineTuning;

public sealed class TrainingSparsityTests
{
    private static EncodedExample[] Examples(params int[] lengths) =>
        [.. lengths.Select(n => new EncodedExample(new int[n], new int[n], new PatternContext(n), 0))];

    [Fact]
    public void LengthQuantiles_AreTheMidpointQuantilesOfTheSortedLengths()
    {
        // 1..100 shuffled: the quantiles (k + ½)/4 of 100 sorted lengths are at indices 12, 37, 62 and 87.
        var lengths = Enumerable.Range(1, 100).OrderBy(n => (n * 37) % 101).ToArray();
        Assert.Equal([13, 38, 63, 88], TrainingSparsity.LengthQuantiles(Examples(lengths), 4));
    }

    [Fact]
    public void LengthQuantiles_OfFewExamples_AreEveryLength_AndOfNoneARefusal()
    {
        Assert.Equal([3, 5, 9], TrainingSparsity.LengthQuantiles(Examples(9, 3, 5), 16));
        Assert.Throws<ArgumentException>(() => TrainingSparsity.LengthQuantiles(Examples(), 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingSparsity.LengthQuantiles(Examples(4), 0));
    }
}
