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

    [Fact]
    public void Medians_WithAMinimumTime_RunMoreRounds_UntilTheFastestActionHasRunThatLong()
    {
        // Each call of the fast action takes about 1 ms: 3 rounds give about 3 ms, so a 30 ms minimum needs about 30
        // rounds; the slow action (5 ms) does not set the count. A minimum out of reach stops at 50 × the rounds asked.
        int fast = 0, slow = 0;
        BenchmarkTiming.Medians(3, [() => { fast++; Thread.Sleep(1); }, () => { slow++; Thread.Sleep(5); }], minMilliseconds: 30);
        Assert.Equal(fast, slow);
        Assert.InRange(fast, 4, 31);
        int capped = 0;
        BenchmarkTiming.Medians(2, [() => capped++], minMilliseconds: 1e9);
        Assert.Equal(2 * BenchmarkTiming.MaxRoundsPerRun, capped);
        int exact = 0;
        BenchmarkTiming.Medians(4, [() => exact++]);
        Assert.Equal(4, exact);
    }
}
