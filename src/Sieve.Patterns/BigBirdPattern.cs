// The token-level BigBird graph of the Breaking BERT component ablation (METHODS.md §2.3 [I]; Zaheer et al. 2020 §2):
// global first g positions, a window of w neighbours per side, and r random keys per query outside its window.
namespace Sieve.Patterns;

/// <summary>
/// BigBird at token level: the first g positions are global (attend to all, attended by all); every query attends to
/// keys with |i − j| ≤ w; every non-global query also attends to r keys drawn uniformly without replacement from the
/// keys outside its window (all of them when fewer than r remain). A random key may coincide with a global column.
/// Resampled per (seed, example, layer, head). Spec: <c>bigbird(g,w,r,seed=s)</c>, all ≥ 0.
/// </summary>
public sealed class BigBirdPattern : Pattern
{
    public BigBirdPattern(int g, int w, int r, ulong seed = 0)
    {
        if (g < 0) throw new ArgumentOutOfRangeException(nameof(g), g, $"bigbird(g,w,r) needs g >= 0, got {g}");
        if (w < 0) throw new ArgumentOutOfRangeException(nameof(w), w, $"bigbird(g,w,r) needs w >= 0, got {w}");
        if (r < 0) throw new ArgumentOutOfRangeException(nameof(r), r, $"bigbird(g,w,r) needs r >= 0, got {r}");
        G = g;
        W = w;
        R = r;
        Seed = seed;
    }

    /// <summary>How many leading positions are global.</summary>
    public int G { get; }

    /// <summary>The window half-width: |i − j| ≤ W.</summary>
    public int W { get; }

    /// <summary>Random keys per query, drawn outside the window.</summary>
    public int R { get; }

    /// <summary>The pattern's own seed, mixed with the context's seed, example, layer and head.</summary>
    public ulong Seed { get; }

    public override bool IsRandom => true;

    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = context.Length;
        var random = SeededRandom.For(context, Seed);
        var rows = new List<int>();
        var cols = new List<int>();
        // Global rows already see every key, so only the others draw.
        for (int row = Math.Min(G, n); row < n; row++)
        {
            int lo = Math.Max(0, row - W), hi = (int)Math.Min(n - 1L, (long)row + W);
            int outside = n - (hi - lo + 1);
            foreach (long pick in Sampling.Distinct(random, outside, Math.Min(R, outside)))
            {
                // Index c among the keys outside [lo, hi]: below the window it is the key itself, above it skips the window.
                rows.Add(row);
                cols.Add(pick < lo ? (int)pick : (int)pick + (hi - lo + 1));
            }
        }
        var sampled = ListedRows.FromPairs(n, [.. rows], [.. cols]);
        var fixedPart = new MergedRows(new GlobalPattern(G).Bind(context), new LocalPattern(W).Bind(context), SortedMerge.Union);
        return new MergedRows(fixedPart, sampled, SortedMerge.Union);
    }

    public override string ToString() => $"bigbird({G},{W},{R},seed={Seed})";
}
