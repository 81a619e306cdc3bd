// The tensors the Banded kernel needs per layout, tile side, dtype and device: each map's in-window mask, its global
// columns and their mask, its global rows and their mask; and whether its band may run fused. Built once from a
// BandedSplit and cached on the layout.
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>The <see cref="BandedSplit"/> of a layout as masks and index tensors, one <see cref="BandedMap"/> per map.</summary>
internal sealed class BandedPlan
{
    private static readonly ConditionalWeakTable<AttentionLayout, Dictionary<(int BlockSize, double Share, ScalarType Type, string Device, bool Fused, bool Wide), BandedPlan>> _cache = [];

    private BandedPlan(BandedSplit split, int heads, IReadOnlyList<BandedMap> maps, bool fusedBand, bool wideTiles)
    {
        WideTiles = wideTiles;
        Split = split;
        LayoutHeads = heads;
        Maps = maps;
        FusedBand = fusedBand;
    }

    /// <summary>The split the masks were made from.</summary>
    public BandedSplit Split { get; }

    /// <summary>The layout's distinct head maps per example (1 when heads share).</summary>
    public int LayoutHeads { get; }

    /// <summary>Per map (example-major): its masks and indices.</summary>
    public IReadOnlyList<BandedMap> Maps { get; }

    /// <summary>Whether the band runs fused (<see cref="BandedFusedBand"/>, <see cref="BandedFusedBackward"/>) where that applies.</summary>
    public bool FusedBand { get; }

    /// <summary>Whether the fused band may use 512-bit tiles (<see cref="BandedOptions.WideTiles"/>).</summary>
    public bool WideTiles { get; }

    /// <summary>The map of one example and head.</summary>
    public BandedMap Map(int example, int head) => Maps[(example * LayoutHeads) + (LayoutHeads == 1 ? 0 : head)];

    /// <summary>The cached plan of <paramref name="split"/>'s layout.</summary>
    public static BandedPlan For(AttentionLayout layout, BandedSplit split, double share, ScalarType type, Device device, bool fusedBand, bool wideTiles)
    {
        var plans = _cache.GetValue(layout, _ => []);
        var key = (split.BlockSize, share, type, device.ToString(), fusedBand, wideTiles);
        lock (plans)
        {
            if (!plans.TryGetValue(key, out var plan))
                plans[key] = plan = Build(layout, split, type, device, fusedBand, wideTiles);
            return plan;
        }
    }

    private static BandedPlan Build(AttentionLayout layout, BandedSplit split, ScalarType type, Device device, bool fusedBand, bool wideTiles)
    {
        var maps = new BandedMap[split.GlobalRows.Count];
        for (int map = 0; map < maps.Length; map++)
            maps[map] = BuildMap(layout[map / layout.Heads, map % layout.Heads], split, map, type, device);
        return new BandedPlan(split, layout.Heads, maps, fusedBand, wideTiles);
    }

    private static BandedMap BuildMap(Patterns.CsrLayout csr, BandedSplit split, int map, ScalarType type, Device device)
    {
        int b = split.BlockSize, window = split.Window, blocks = split.Blocks, n = csr.PaddedLength;
        var globalRows = split.GlobalRows[map];
        var columns = split.GlobalColumns[map];
        var isGlobalRow = new bool[n];
        foreach (int row in globalRows) isGlobalRow[row] = true;
        var columnSlot = new Dictionary<int, int>();
        for (int c = 0; c < columns.Length; c++) columnSlot[columns[c]] = c;
        // The in-window mask of query block r (true where key (r − before)·b + j is forbidden for row r·b + i) is the same
        // for every block inside a band, so each distinct mask is kept once: a local(64) layout at N = 4096 has a handful,
        // where one [N, L] float bias would cost 2.6 MiB of the first forward's peak.
        var patterns = new BlockPatterns(b * window);
        var blockPattern = new int[blocks];
        var columnMask = new bool[blocks * b * columns.Length];                                 // [nb·b, g]
        Array.Fill(columnMask, true);
        var hasKey = new bool[blocks * b];
        bool emptyRow = false;
        {
            for (int qb = 0; qb < blocks; qb++)
            {
                var blockMask = new bool[b * window];
                Array.Fill(blockMask, true);
                int start = (qb - split.BlocksBefore) * b;
                for (int i = 0; i < b; i++)
                {
                    int row = (qb * b) + i;
                    if (row >= n || isGlobalRow[row]) { emptyRow = true; continue; }   // global rows are computed densely
                    foreach (int key in csr.Row(row))
                    {
                        int at = key - start;
                        if (at >= 0 && at < window) blockMask[(i * window) + at] = false;
                        else columnMask[(row * columns.Length) + columnSlot[key]] = false;
                    }
                    hasKey[row] = csr.Row(row).Length > 0;
                    emptyRow |= !hasKey[row];
                }
                blockPattern[qb] = patterns.Intern(blockMask);
            }
        }
        var bandBias = Bias(torch.tensor(patterns.Concatenated()).view(patterns.Count, b, window), type, device);                       // [U, b, L]
        var patternIndex = Keep(torch.tensor(blockPattern.Select(p => (long)p).ToArray(), device: device));                             // [nb]
        Tensor? columnIndex = null, columnBias = null;
        if (columns.Length > 0)
        {
            columnIndex = Keep(torch.tensor(columns.Select(c => (long)c).ToArray(), device: device));                                    // [g]
            columnBias = Bias(torch.tensor(columnMask).view(blocks * b, columns.Length), type, device);                                   // [nb·b, g]
        }
        Tensor? rowIndex = null, rowDisallowed = null;
        if (globalRows.Length > 0)
        {
            var rowMask = new bool[globalRows.Length * n];
            Array.Fill(rowMask, true);
            for (int r = 0; r < globalRows.Length; r++)
            {
                foreach (int key in csr.Row(globalRows[r])) rowMask[((long)r * n) + key] = false;
            }
            rowIndex = Keep(torch.tensor(globalRows.Select(r => (long)r).ToArray(), device: device));                                     // [r]
            rowDisallowed = Keep(torch.tensor(rowMask, device: device).view(globalRows.Length, n));                                      // [r, N]
        }
        Tensor? rowHasKey = emptyRow ? Keep(torch.tensor(hasKey, device: device).view(blocks * b, 1).to(type)) : null;                  // [nb·b, 1]
        return new BandedMap(bandBias, blockPattern, patternIndex, rowHasKey, columns, columnIndex, columnBias, rowIndex, rowDisallowed);
    }

    /// <summary>The distinct block masks of a map, each stored once, in order of first use.</summary>
    private sealed class BlockPatterns(int size)
    {
        private readonly List<bool[]> _masks = [];
        private readonly Dictionary<int, List<int>> _byHash = [];

        public int Count => _masks.Count;

        public int Intern(bool[] mask)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mask.AsSpan()));
            int key = hash.ToHashCode();
            if (!_byHash.TryGetValue(key, out var candidates)) _byHash[key] = candidates = [];
            foreach (int known in candidates)
            {
                if (_masks[known].AsSpan().SequenceEqual(mask)) return known;
            }
            _masks.Add(mask);
            candidates.Add(_masks.Count - 1);
            return _masks.Count - 1;
        }

        public bool[] Concatenated()
        {
            var all = new bool[_masks.Count * size];
            for (int i = 0; i < _masks.Count; i++) _masks[i].CopyTo(all, i * size);
            return all;
        }
    }

    // The mask as an additive bias: 0 where allowed, the lowest finite value where not. A score plus the lowest value
    // rounds to the lowest value (scores are far below its spacing), exactly the reference's fill; adding a float
    // tensor is vectorised where masked_fill_ with a bool mask measured 30× slower on [nb, b, L] scores.
    private static Tensor Bias(Tensor disallowed, ScalarType type, Device device)
    {
        using var mask = disallowed;
        double lowest = type == ScalarType.Float64 ? double.MinValue : type == ScalarType.Float32 ? float.MinValue : -65504.0;
        return Keep(torch.zeros(mask.shape, type, device).MaskedFillInPlace(mask.to(device), lowest));
    }

    // Plan tensors outlive the call that built them: no dispose scope may take them, the GC frees them with the layout.
    private static Tensor Keep(Tensor tensor) => tensor.DetachFromDisposeScope();
}

/// <summary>
/// One map's tensors: BandBias [U, b, L], the U distinct in-window masks as biases (0 where the window entry is allowed,
/// the lowest finite value where not), block r's being number BlockPattern[r] (also as the tensor PatternIndex [nb]);
/// RowHasKey [nb·b, 1] (0 for rows with no key in band or columns, global rows included; null when there is none);
/// the global columns' keys GlobalColumns (empty without), also as Columns [g], and ColumnBias [nb·b, g] (both null
/// without); Rows [r] and RowDisallowed [r, N] (bool, null without global rows).
/// </summary>
internal sealed record BandedMap(Tensor BandBias, int[] BlockPattern, Tensor PatternIndex, Tensor? RowHasKey, int[] GlobalColumns, Tensor? Columns, Tensor? ColumnBias,
    Tensor? Rows, Tensor? RowDisallowed);
