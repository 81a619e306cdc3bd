// The one source of randomness for patterns: SplitMix64, seeded from (seed, pattern seed, example, layer, head), so that
// the same input gives the same pattern in training, evaluation, after a reload and on every platform.
namespace Sieve.Patterns;

/// <summary>
/// A small, fast, platform-independent generator (SplitMix64). <see cref="System.Random"/> is avoided on purpose: its
/// sequence for a seed is not a documented contract across .NET versions.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one attention map, derived from every coordinate that must change the sample.</summary>
    public static SeededRandom For(PatternContext context, ulong patternSeed) =>
        new(Mix(Mix(Mix(Mix(context.Seed, patternSeed), (ulong)context.Example), (ulong)context.Layer), (ulong)context.Head));

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
    public long NextInt64(long bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong range = (ulong)bound;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong x = NextUInt64();
            ulong high = Math.BigMul(x, range, out ulong low);
            if (low >= threshold) return (long)high;
        }
    }

    public int NextInt32(int bound) => (int)NextInt64(bound);

    private static ulong Mix(ulong a, ulong b) => new SeededRandom(a ^ (b * 0xD6E8FEB86659FD93UL) ^ 0x2545F4914F6CDD1DUL).NextUInt64();
}
