// The shuffled order of examples per epoch: a Fisher–Yates permutation driven by SplitMix64 seeded from
// (seed, epoch), the same in every process and on every platform (System.Random's algorithm is not a contract).
using Sieve.Patterns;

namespace Sieve.Training;

/// <summary>Deterministic per-epoch permutations for batch sources.</summary>
public static class BatchOrder
{
    /// <summary>A permutation of 0..<paramref name="count"/>−1 that depends only on (<paramref name="seed"/>, <paramref name="epoch"/>).</summary>
    public static int[] Permutation(int count, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        var random = new SeededRandom(Mix((ulong)(uint)seed, (ulong)(uint)epoch, 0x5EED_0A7A));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.NextInt32(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>A 64-bit seed from (<paramref name="seed"/>, <paramref name="step"/>), e.g. for torch's generator at one optimizer step.</summary>
    public static long StepSeed(int seed, int step) => (long)(Mix((ulong)(uint)seed, (ulong)(uint)step, 0xD20F_0D7) >> 1);

    // Two SplitMix64 finalisations keep nearby (seed, index) pairs far apart.
    private static ulong Mix(ulong a, ulong b, ulong salt)
    {
        var random = new SeededRandom(a * 0x9E3779B97F4A7C15UL ^ salt);
        var first = random.NextUInt64();
        return new SeededRandom(first ^ (b * 0xBF58476D1CE4E5B9UL)).NextUInt64();
    }
}
