// How the Banded kernel cuts a layout (Longformer's sliding chunks, BigBird's window + globals): a window of whole key
// blocks around each query block, the same for every block, plus the few rows and columns that fall outside it.
// Pure bookkeeping over the CSR keys, O(nnz); BandedPlan turns it into masks.
using System.Runtime.CompilerServices;

namespace Sieve.Kernels;

/// <summary>
/// The split of every map of an <see cref="AttentionLayout"/> into (1) a band: query block r (rows r·b … r·b+b−1)
/// scores key blocks r−<see cref="BlocksBefore"/> … r−BlocksBefore+<see cref="WindowBlocks"/>−1, one contiguous window
/// of L = WindowBlocks·b keys; (2) global columns: keys outside a row's window, shared by few rows each; (3) global rows:
/// rows with more than b keys outside their window, computed densely over all keys. The window is the hull of the key
/// block offsets that at least half of the query blocks use, so a diagonal band with a few global tokens splits cleanly;
/// <see cref="Applicable"/> is false when the global rows or columns exceed the allowed share of N.
/// </summary>
internal sealed class BandedSplit
{
    private static readonly ConditionalWeakTable<AttentionLayout, Dictionary<(int BlockSize, double Share), BandedSplit>> _cache = [];

    private BandedSplit(int blockSize, int blocks, int before, int window, int[][] rows, int[][] columns, bool applicable)
    {
        BlockSize = blockSize;
        Blocks = blocks;
        BlocksBefore = before;
        WindowBlocks = window;
        GlobalRows = rows;
        GlobalColumns = columns;
        Applicable = applicable;
    }

    /// <summary>b, the query block side.</summary>
    public int BlockSize { get; }

    /// <summary>nb, query blocks over the padded length.</summary>
    public int Blocks { get; }

    /// <summary>How many key blocks a window reaches before its query block (the keys' front padding, in blocks).</summary>
    public int BlocksBefore { get; }

    /// <summary>Key blocks per window; the window holds L = WindowBlocks·b keys.</summary>
    public int WindowBlocks { get; }

    /// <summary>L, keys per window.</summary>
    public int Window => WindowBlocks * BlockSize;

    /// <summary>Per map: the rows computed densely over all keys (sorted).</summary>
    public IReadOnlyList<int[]> GlobalRows { get; }

    /// <summary>Per map: the keys outside some non-global row's window (sorted).</summary>
    public IReadOnlyList<int[]> GlobalColumns { get; }

    /// <summary>Whether the remainder is small enough for the dense part; otherwise the layout runs on BlockSparse.</summary>
    public bool Applicable { get; }

    /// <summary>
    /// Multiply-adds of one head's QKᵀ summed over the maps: nb·b·(L + g) for the band and global columns and r·N for
    /// the global rows, times D. The cost model's work feature for Banded (per distinct map; heads sharing it multiply).
    /// </summary>
    public double WorkPerHead(int paddedLength, long dim)
    {
        double work = 0;
        for (int map = 0; map < GlobalRows.Count; map++)
            work += ((double)Blocks * BlockSize * (Window + GlobalColumns[map].Length)) + ((double)GlobalRows[map].Length * paddedLength);
        return work * dim;
    }

    /// <summary>The cached split of <paramref name="layout"/> for query blocks of <paramref name="blockSize"/>.</summary>
    public static BandedSplit For(AttentionLayout layout, int blockSize, double maxGlobalShare)
    {
        var splits = _cache.GetValue(layout, _ => []);
        lock (splits)
        {
            if (!splits.TryGetValue((blockSize, maxGlobalShare), out var split))
                splits[(blockSize, maxGlobalShare)] = split = Build(layout, blockSize, maxGlobalShare);
            return split;
        }
    }

    private static BandedSplit Build(AttentionLayout layout, int b, double maxGlobalShare)
    {
        int n = layout.PaddedLength, blocks = (n + b - 1) / b, maps = layout.Batch * layout.Heads;
        var (first, last) = WindowOffsets(layout, b, blocks, maps);
        var rows = new int[maps][];
        var columns = new int[maps][];
        int limit = Math.Max(1, (int)(maxGlobalShare * n));
        bool applicable = true;
        for (int map = 0; map < maps; map++)
        {
            var csr = layout[map / layout.Heads, map % layout.Heads];
            var globalRows = new List<int>();
            var outside = new SortedSet<int>();
            var rowOutside = new List<int>();
            for (int row = 0; row < csr.PaddedLength; row++)
            {
                int qb = row / b, lo = (qb + first) * b, hi = (qb + last + 1) * b;
                rowOutside.Clear();
                foreach (int key in csr.Row(row))
                {
                    if (key < lo || key >= hi) rowOutside.Add(key);
                }
                if (rowOutside.Count > b) globalRows.Add(row);
                else outside.UnionWith(rowOutside);
            }
            rows[map] = [.. globalRows];
            columns[map] = [.. outside];
            applicable &= rows[map].Length <= limit && columns[map].Length <= limit;
        }
        return new BandedSplit(b, blocks, -first, last - first + 1, rows, columns, applicable);
    }

    // The key block offsets (key block − query block) used by at least half of all real query blocks, over every map;
    // their hull, always holding 0 so that windows start at or before their own block. (Half of the blocks that *could*
    // use an offset would take in the far corners, where one global column is the only candidate.)
    private static (int First, int Last) WindowOffsets(AttentionLayout layout, int b, int blocks, int maps)
    {
        var used = new long[(2 * blocks) - 1];
        long real = 0;
        for (int map = 0; map < maps; map++)
        {
            var tiles = layout.Blocks(map / layout.Heads, map % layout.Heads, b);
            real += tiles.RealBlockCount;
            for (int qb = 0; qb < tiles.RealBlockCount; qb++)
            {
                foreach (int kb in tiles.Row(qb)) used[kb - qb + blocks - 1]++;
            }
        }
        int first = 0, last = 0;
        for (int j = 0; j < used.Length; j++)
        {
            if (used[j] == 0 || used[j] * 2 < real) continue;
            first = Math.Min(first, j - blocks + 1);
            last = Math.Max(last, j - blocks + 1);
        }
        return (first, last);
    }
}
