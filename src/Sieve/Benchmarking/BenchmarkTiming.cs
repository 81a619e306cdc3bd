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
        return MedianOf(times);
    }

    /// <summary>
    /// Runs every action once per round, <paramref name="runs"/> rounds, and returns each action's median in milliseconds.
    /// Round-robin rather than one action's runs after another's: on a shared VM the machine's speed drifts over seconds
    /// (the same kernel measured 40 and 58 ms minutes apart), and taking turns lets the drift hit every action alike, so
    /// their ratios hold where their absolute times do not. Odd rounds run the actions in reverse order: an action run
    /// right after another was measured 2–3 % slower than the same action run first (Sdpa against itself and Auto at
    /// N = 128), a bias that a fixed order would charge to every action but the first. With
    /// <paramref name="minMilliseconds"/> &gt; 0, rounds go on past <paramref name="runs"/> until the fastest action has
    /// run that long in all (at most <see cref="MaxRoundsPerRun"/> × runs rounds): at N ≤ 256 an attention call takes
    /// 1–5 ms, and five of them left one kernel's two medians 30–45 % apart in one run (docs/BENCHMARKS.md).
    /// </summary>
    public static double[] Medians(int runs, IReadOnlyList<Action> actions, double minMilliseconds = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentOutOfRangeException.ThrowIfNegative(minMilliseconds);
        var times = actions.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < runs || (r < MaxRoundsPerRun * runs && times.Min(list => list.Sum()) < minMilliseconds); r++)
        {
            for (int i = 0; i < actions.Count; i++)
            {
                int a = r % 2 == 0 ? i : actions.Count - 1 - i;
                long start = Stopwatch.GetTimestamp();
                actions[a]();
                times[a].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        return [.. times.Select(list => MedianOf([.. list]))];
    }

    /// <summary>The most rounds <see cref="Medians"/> runs per requested round when it times to a minimum.</summary>
    public const int MaxRoundsPerRun = 50;

    private static double MedianOf(double[] times)
    {
        Array.Sort(times);
        int runs = times.Length;
        return runs % 2 == 1 ? times[runs / 2] : (times[(runs / 2) - 1] + times[runs / 2]) / 2;
    }
}
