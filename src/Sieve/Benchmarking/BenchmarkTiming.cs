// The one timing rule of every benchmark (DESIGN.md §5): the median of a few runs, so that one slow run (a GC, another
// process on the 2-core machine) does not move the reported time.
using System.Diagnostics;

namespace Sieve.Benchmarking;

/// <summary>Wall-clock medians for the attention, variant and model benchmarks.</summary>
public static class BenchmarkTiming
{
    /// <summary>Runs <paramref name="action"/> <paramref name="runs"/> times and returns the median in milliseconds.</summary>
    public static double Median(int runs, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentNullException.ThrowIfNull(action);
        var times = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return runs % 2 == 1 ? times[runs / 2] : (times[(runs / 2) - 1] + times[runs / 2]) / 2;
    }
}
