// BigBird's blocked ITC pattern as in google-research/bigbird core/attention.py (METHODS.md §7): blocks of size b, a
// window of 3 blocks, the first and last block global, r random blocks per middle query block.
namespace Sieve.Patterns;

/// <summary>
/// Blocked BigBird (ITC): the sequence is cut into blocks of size b (the last may be partial). The first and last blocks
/// are global: their queries attend to every key and every query attends to their keys. A middle query block q attends
/// to key blocks q−1, q, q+1 and to r random blocks drawn without replacement from the middle blocks outside that window
/// (all of them when fewer remain). Resampled per (seed, example, layer, head). Spec: <c>bigbird_blocks(b,r,seed=s)</c>,
/// b ≥ 1, r ≥ 0.
/// </summary>
public sealed class BigBirdBlocksPattern : Pattern
{
    public BigBirdBlocksPattern(int b, int r, ulong seed = 0)
    {
        if (b < 1) throw new ArgumentOutOfRangeException(nameof(b), b, $"bigbird_blocks(b,r) needs b >= 1, got {b}");
        if (r < 0) throw new ArgumentOutOfRangeException(nameof(r), r, $"bigbird_blocks(b,r) needs r >= 0, got {r}");
        B = b;
        R = r;
        Seed = seed;
    }

    /// <summary>The block size.</summary>
    public int B { get; }

    /// <summary>Random key blocks per middle query block.</summary>
    public int R { get; }

    /// <summary>The pattern's own seed, mixed with the context's seed, example, layer and head.</summary>
    public ulong Seed { get; }

    public override bool IsRandom => true;

    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = context.Length;
        int blocks = (int)((n + (long)B - 1) / B);
        var random = SeededRandom.For(context, Seed);
        var keyBlocks = new int[blocks][];
        for (int q = 1; q < blocks - 1; q++)
        {
            // Candidates: middle blocks 1..blocks−2 outside the window q−1..q+1.
            var candidates = new List<int>();
            for (int k = 1; k < blocks - 1; k++)
                if (Math.Abs(k - q) > 1) candidates.Add(k);
            var chosen = new SortedSet<int> { 0, blocks - 1, q - 1, q, q + 1 };
            foreach (long pick in Sampling.Distinct(random, candidates.Count, Math.Min(R, candidates.Count)))
                chosen.Add(candidates[(int)pick]);
            keyBlocks[q] = [.. chosen];
        }
        return new Rows(n, B, keyBlocks);
    }

    public override string ToString() => $"bigbird_blocks({B},{R},seed={Seed})";

    private sealed class Rows(int length, int blockSize, int[][] keyBlocks) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            int q = row / blockSize;
            if (q == 0 || q == keyBlocks.Length - 1)
            {
                keys.AddRange(0, Length);
                return;
            }
            foreach (int block in keyBlocks[q])
                keys.AddRange(block * blockSize, (int)Math.Min(Length, ((long)block + 1) * blockSize));
        }
    }
}
