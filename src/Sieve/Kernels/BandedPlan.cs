// The tensors the Banded kernel needs per layout, tile side, dtype and device: each map's in-window mask, its global
// columns and their mask, its global rows and their mask. Built once from a BandedSplit and cached on the layout.
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>The <see cref="BandedSplit"/> of a layout as masks and index tensors, one <see cref="BandedMap"/> per map.</summary>
internal sealed class BandedPlan
{
    private static readonly ConditionalWeakTable<AttentionLayout, Dictionary<(int BlockSize, double Share, ScalarType Type, string Device), BandedPlan>> _cache = [];

    private BandedPlan(BandedSplit split, int heads, IReadOnlyList<BandedMap> maps)
    {
        Split = split;
        LayoutHeads = heads;
        Maps = maps;
    }

    /// <summary>The split the masks were made from.</summary>
    public BandedSplit Split { get; }

    /// <summary>The layout's distinct head maps per example (1 when heads share).</summary>
    public int LayoutHeads { get; }

    /// <summary>Per map (example-major): its masks and indices.</summary>
    public IReadOnlyList<BandedMap> Maps { get; }

    /// <summary>The map of one example and head.</summary>
    public BandedMap Map(int example, int head) => Maps[(example * LayoutHeads) + (LayoutHeads == 1 ? 0 : head)];

    /// <summary>The cached plan of <paramref name="split"/>'s layout.</summary>
    public static BandedPlan For(AttentionLayout layout, BandedSplit split, double share, ScalarType type, Device device)
    {
        var plans = _cache.GetValue(layout, _ => []);
        var key = (split.BlockSize, share, type, device.ToString());
        lock (plans)
        {
            if (!plans.TryGetValue(key, out var plan))
                plans[key] = plan = Build(layout, split, type, device);
            return plan;
        }
    }

    private static BandedPlan Build(AttentionLayout layout, BandedSplit split, ScalarType type, Device device)
    {
        var maps = new BandedMap[split.GlobalRows.Count];
        for (int map = 0; map < maps.Length; map++)
            maps[map] = BuildMap(layout[map / layout.Heads, map % layout.Heads], split, map, type, device);
        return new BandedPlan(split, layout.Heads, maps);
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
        // disallowed[r, i, j]: key (r − before)·b + j is forbidden for row r·b + i; written one query block at a time
        // through a reused buffer, so the first forward never holds the whole mask twice.
        var disallowed = torch.ones(blocks, b, window, dtype: ScalarType.Bool, device: CPU);    // [nb, b, L]
        var columnMask = new bool[blocks * b * columns.Length];                                 // [nb·b, g]
        Array.Fill(columnMask, true);
        var hasKey = new bool[blocks * b];
        bool emptyRow = false;
        var blockMask = new bool[b * window];
        using (var writer = disallowed.data<bool>())
        {
            for (int qb = 0; qb < blocks; qb++)
            {
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
                writer.CopyFrom(blockMask, 0, (long)qb * blockMask.Length);
            }
        }
        var bandBias = Bias(disallowed, type, device);                                                                                   // [nb, b, L]
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
        return new BandedMap(bandBias, rowHasKey, columnIndex, columnBias, rowIndex, rowDisallowed);
    }

    // The mask as an additive bias: 0 where allowed, the lowest finite value where not. A score plus the lowest value
    // rounds to the lowest value (scores are far below its spacing), exactly the reference's fill; adding a float
    // tensor is vectorised where masked_fill_ with a bool mask measured 30× slower on [nb, b, L] scores.
    private static Tensor Bias(Tensor disallowed, ScalarType type, Device device)
    {
        using var mask = disallowed;
        using var lowest = (type == ScalarType.Float64 ? double.MinValue : type == ScalarType.Float32 ? float.MinValue : -65504.0).ToScalar();
        return Keep(torch.zeros(mask.shape, type, device).masked_fill_(mask.to(device), lowest));
    }

    // Plan tensors outlive the call that built them: no dispose scope may take them, the GC frees them with the layout.
    private static Tensor Keep(Tensor tensor) => tensor.DetachFromDisposeScope();
}

/// <summary>
/// One map's tensors: BandBias [nb, b, L] (0 where the window entry is allowed, the lowest finite value where not);
/// RowHasKey [nb·b, 1] (0 for rows with no key in band or columns, global rows included; null when there is none);
/// Columns [g] and ColumnBias [nb·b, g] (null without global columns); Rows [r] and RowDisallowed [r, N] (bool, null
/// without global rows).
/// </summary>
internal sealed record BandedMap(Tensor BandBias, Tensor? RowHasKey, Tensor? Columns, Tensor? ColumnBias, Tensor? Rows, Tensor? RowDisallowed);
