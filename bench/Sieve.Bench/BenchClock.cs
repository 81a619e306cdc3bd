// One wall-clock timing, for the bench reports that take their own rounds and report medians of per-round figures
// (ratios, rates), which BenchmarkTiming's medians of whole actions do not give.
using System.Diagnostics;

namespace Sieve.Bench;

internal static class BenchClock
{
    /// <summary>The time <paramref name="action"/> takes, in milliseconds.</summary>
    public static double Milliseconds(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
