// Longformer's dilated sliding window (Beltagy et al. 2020 §3.1; METHODS.md §6): keys at multiples of d around the query.
namespace Sieve.Patterns;

/// <summary>
/// Dilated window: query i attends to key j = i + d·t for every integer t with |t| ≤ k. With d = 1 it is Local_k; each
/// row keeps up to 2k + 1 keys spread over a span of 2kd + 1. Spec: <c>dilated(k,d)</c>, k ≥ 0, d ≥ 1.
/// </summary>
public sealed class DilatedPattern : Pattern
{
    public DilatedPattern(int k, int d)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"dilated(k,d) needs k >= 0, got {k}");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, $"dilated(k,d) needs d >= 1, got {d}");
        K = k;
        D = d;
    }

    /// <summary>The number of keys on each side of the query.</summary>
    public int K { get; }

    /// <summary>The dilation: the gap between consecutive keys.</summary>
    public int D { get; }

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, K, D);

    public override string ToString() => $"dilated({K},{D})";

    private sealed class Rows(int length, int k, int d) : PatternRows(length)
    {
        // Only the steps t that land inside 0..Length−1 are visited, so the work is bounded by the row's keys and not by
        // k: dilated(1000000000,1) at N = 12 costs what dilated(12,1) does.
        public override void AppendRow(int row, KeyBuffer keys)
        {
            long first = Math.Max(-(long)k, -(row / (long)d));
            long last = Math.Min(k, (Length - 1L - row) / d);
            for (long t = first; t <= last; t++) keys.Add((int)(row + (t * d)));
        }
    }
}
