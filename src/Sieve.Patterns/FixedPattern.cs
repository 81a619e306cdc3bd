// The Sparse Transformer's fixed pattern (Child et al. 2019 §4.2; METHODS.md §5 and Appendix A), both index sets in one
// map: the query's own block and the last c "summary" cells of every block.
namespace Sieve.Patterns;

/// <summary>
/// Fixed, as the union of both heads (METHODS.md Appendix A): causal, query i attends to j ≤ i with ⌊j/l⌋ = ⌊i/l⌋ or
/// j mod l ≥ l − c. The bidirectional form drops j ≤ i (the formulas use no i − j to mirror): the whole own block and
/// the summary cells of every block. A partial last block has summary cells only where j mod l ≥ l − c.
/// Spec: <c>fixed(l,c)</c> (causal) or <c>fixed(l,c,causal=false)</c>, l ≥ 1, 0 ≤ c ≤ l.
/// </summary>
public sealed class FixedPattern : Pattern
{
    public FixedPattern(int l, int c, bool causal = true)
    {
        if (l < 1) throw new ArgumentOutOfRangeException(nameof(l), l, $"fixed(l,c) needs l >= 1, got {l}");
        if (c < 0 || c > l) throw new ArgumentOutOfRangeException(nameof(c), c, $"fixed(l,c) needs 0 <= c <= l, got c = {c} with l = {l}");
        L = l;
        C = c;
        Causal = causal;
    }

    /// <summary>The block length.</summary>
    public int L { get; }

    /// <summary>The summary width: the last C cells of each block are attended by later queries.</summary>
    public int C { get; }

    /// <summary>True for the paper's causal form (keys j ≤ i only).</summary>
    public bool Causal { get; }

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, L, C, Causal);

    public override string ToString() => Causal ? $"fixed({L},{C})" : $"fixed({L},{C},causal=false)";

    private sealed class Rows(int length, int l, int c, bool causal) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            int own = row / l;
            int blocks = (int)((Length + (long)l - 1) / l);
            for (int block = 0; block < (causal ? own + 1 : blocks); block++)
            {
                long start = (long)block * l, end = Math.Min(Length, start + l);
                if (block == own) end = causal ? row + 1 : end;
                else start += l - c;
                if (start < end) keys.AddRange((int)start, (int)end);
            }
        }
    }
}
