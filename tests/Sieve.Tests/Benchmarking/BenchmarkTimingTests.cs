// The timing rule: medians, and round-robin turns for several actions, so that a machine slowing down part-way
// through a benchmark slows every kernel alike, in an order that reverses every round.
using Sieve.Benchmarking;

namespace Sieve.Tests.Benchmarking;

public sealed class BenchmarkTimingTests
{
    [Fact]
    public void Medians_TakeTurnsRoundByRound_InAlternatingOrder_AndReturnOneMedianPerAction()
    {
        var calls = new List<char>();
        var medians = BenchmarkTiming.Medians(3, [() => calls.Add('a'), () => calls.Add('b'), () => calls.Add('c')]);
        // Reversed every other round, so that no action always runs right after another.
        Assert.Equal("abccbaabc", new string([.. calls]));
        Assert.Equal(3, medians.Length);
        Assert.All(medians, m => Assert.True(m >= 0));
    }

    [Fact]
    public void Medians_IsTheMiddleRun_SoOneSlowRunDoesNotMoveIt()
    {
        int run = 0;
        // The second of three runs sleeps 200 ms; the median is one of the fast runs.
        var medians = BenchmarkTiming.Medians(3, [() => { if (run++ == 1) Thread.Sleep(200); }]);
        Assert.True(medians[0] < 100, $"median {medians[0]} ms");
    }
}
