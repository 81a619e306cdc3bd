// Token-length percentiles of a split, so that a user can pick a maximum sequence length that truncates few examples.
namespace Sieve.Data;

/// <summary>Lengths in <see cref="Unit"/> (e.g. wordpieces with [CLS]/[SEP], bytes with [CLS], words): nearest-rank
/// percentiles, the smallest length that covers that fraction of the examples.</summary>
public sealed record LengthSummary(string Unit, int Min, int P50, int P90, int P95, int P99, int Max, double Mean)
{
    /// <summary>The summary of <paramref name="lengths"/>; null when there are none.</summary>
    public static LengthSummary? Of(string unit, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0) return null;
        var sorted = lengths.Order().ToArray();
        // Nearest rank: the ⌈p·n⌉-th smallest value, so p of the examples are at most this long.
        int At(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new LengthSummary(unit, sorted[0], At(0.5), At(0.9), At(0.95), At(0.99), sorted[^1], sorted.Average());
    }
}
