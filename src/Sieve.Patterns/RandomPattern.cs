// AAA's Random_r (Wang et al. 2022 §4.1; METHODS.md §4.1 [I]): 2rN cells of the N×N map drawn uniformly without
// replacement, resampled per (seed, example, layer, head); Breaking BERT's "random" baseline (§2.2).
namespace Sieve.Patterns;

/// <summary>
/// Random_r: min(2rN, N²) distinct (query, key) cells chosen uniformly from the N×N map, not symmetrised. The sample
/// depends on (context seed, <see cref="Seed"/>, example, layer, head) through <see cref="SeededRandom.For"/>. Binding
/// is O(rN) time and memory: cells are drawn as indices into [0, N²) and grouped by row with a counting sort, so no
/// N×N structure is ever built (N = 65,536 is fine). Rows may be empty; the layout's <see cref="EmptyRowPolicy"/>
/// decides what then happens. Spec: <c>random(r,seed=s)</c>, r ≥ 0, s ≥ 0 (default 0).
/// </summary>
public sealed class RandomPattern : Pattern
{
    public RandomPattern(int r, ulong seed = 0)
    {
        if (r < 0) throw new ArgumentOutOfRangeException(nameof(r), r, $"random(r) needs r >= 0, got {r}");
        R = r;
        Seed = seed;
    }

    /// <summary>The size: the pattern keeps 2·R·N cells (capped at N²), the cost of Local_R or Global_R.</summary>
    public int R { get; }

    /// <summary>The pattern's own seed, mixed with the context's seed, example, layer and head.</summary>
    public ulong Seed { get; }

    /// <summary>The number of cells kept for real length <paramref name="length"/>: min(2rN, N²).</summary>
    public long CellCount(int length) => Math.Min(2L * R * length, (long)length * length);

    public override bool IsRandom => true;

    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = context.Length;
        long count = CellCount(n);
        if (count > Array.MaxLength)
            throw new InvalidOperationException($"{this} would keep {count} cells at N = {n}; that exceeds one array. Use a smaller r.");
        var cells = Sampling.Distinct(SeededRandom.For(context, Seed), (long)n * n, (int)count);
        var rows = new int[cells.Length];
        var cols = new int[cells.Length];
        for (int m = 0; m < cells.Length; m++)
        {
            rows[m] = (int)(cells[m] / n);
            cols[m] = (int)(cells[m] % n);
        }
        return ListedRows.FromPairs(n, rows, cols);
    }

    public override string ToString() => $"random({R},seed={Seed})";
}
