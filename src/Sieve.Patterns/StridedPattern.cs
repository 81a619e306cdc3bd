// The Sparse Transformer's strided pattern (Child et al. 2019 §4.2; METHODS.md §5 and Appendix A), both index sets in
// one map: the previous l positions and every l-th position before the query.
namespace Sieve.Patterns;

/// <summary>
/// Strided, as the union of both heads (METHODS.md Appendix A): causal, query i attends to j ≤ i with i − j ≤ l or
/// (i − j) mod l = 0. The bidirectional form (SparseBERT's encoder reading) mirrors it with |i − j| in place of i − j.
/// Spec: <c>strided(l)</c> (causal) or <c>strided(l,causal=false)</c>, l ≥ 1.
/// </summary>
public sealed class StridedPattern : Pattern
{
    public StridedPattern(int l, bool causal = true)
    {
        if (l < 1) throw new ArgumentOutOfRangeException(nameof(l), l, $"strided(l) needs l >= 1, got {l}");
        L = l;
        Causal = causal;
    }

    /// <summary>The stride (≈ √N in the paper), also the length of the local part.</summary>
    public int L { get; }

    /// <summary>True for the paper's causal form (keys j ≤ i only).</summary>
    public bool Causal { get; }

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, L, Causal);

    public override string ToString() => Causal ? $"strided({L})" : $"strided({L},causal=false)";

    private sealed class Rows(int length, int l, bool causal) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            int lo = Math.Max(0, row - l);
            int hi = causal ? row : (int)Math.Min(Length - 1L, (long)row + l);
            // Strided keys below the local range, the local range, then (bidirectional) strided keys above it.
            for (int key = row % l; key < lo; key += l) keys.Add(key);
            keys.AddRange(lo, hi + 1);
            if (causal) return;
            for (long key = (long)row + (2L * l); key < Length; key += l) keys.Add((int)key);
        }
    }
}
