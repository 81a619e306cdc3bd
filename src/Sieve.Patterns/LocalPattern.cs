// AAA's Local_k (a diagonal pattern with offsets 0..k, §4.1) and Breaking BERT's neighbour pattern with w = k (§2.2).
namespace Sieve.Patterns;

/// <summary>
/// Local_k: query i attends to key j when |i − j| ≤ k. Keeps (2k+1)N − k(k+1) entries for N &gt; k (AAA footnote 5:
/// Local₂ keeps 5N − 6). Spec: <c>local(k)</c>, k ≥ 0.
/// </summary>
public sealed class LocalPattern : Pattern
{
    public LocalPattern(int k)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"local(k) needs k >= 0, got {k}");
        K = k;
    }

    /// <summary>The half-width of the window: offsets −k..k are kept.</summary>
    public int K { get; }

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, K);

    public override string ToString() => $"local({K})";

    private sealed class Rows(int length, int k) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys) =>
            keys.AddRange(Math.Max(0, row - k), (int)Math.Min((long)Length, (long)row + k + 1));
    }
}
