// Uniform sampling without replacement in O(count) time and memory (Floyd's algorithm), for the random patterns.
namespace Sieve.Patterns;

/// <summary>Draws distinct integers from a range without materialising the range (it may hold N² ≈ 4·10⁹ cells).</summary>
internal static class Sampling
{
    /// <summary>
    /// A uniformly random subset of <paramref name="count"/> distinct values in [0, <paramref name="universe"/>)
    /// (Floyd, "Programming Pearls"): for j = U−m … U−1 draw t in [0, j]; keep t, or j when t is already taken. Each
    /// subset has probability 1 / C(U, m). Order of the result is not uniform; callers sort it.
    /// </summary>
    public static long[] Distinct(SeededRandom random, long universe, int count)
    {
        if (count > universe) throw new ArgumentOutOfRangeException(nameof(count), count, $"cannot draw {count} distinct values from {universe}.");
        var chosen = new long[count];
        var taken = new HashSet<long>(count);
        int next = 0;
        for (long j = universe - count; j < universe; j++)
        {
            long t = random.NextInt64(j + 1);
            long pick = taken.Add(t) ? t : j;
            if (pick == j) taken.Add(j);
            chosen[next++] = pick;
        }
        return chosen;
    }
}
