// The band part of the Banded backward fused per query block, in C# SIMD (AVX2 + FMA, float32, CPU), the counterpart of
// BandedFusedBand. The torch path recomputes a chunk's probabilities [C, b, L] and runs five products on them, writing
// each intermediate ([C, b, L] scores, probabilities, their gradients; [C, L, D] window gradients added back block by
// block) to memory; here a block's scores, probabilities and score gradients stay in two [b, L] scratch tiles and its
// five products run in register tiles, adding dq, dk and dv in place. Same function as that path: the probabilities
// recomputed from the saved log-sum-exp, delta = rowsum(dO ∘ O), rows without a key (global rows included, whose
// gradients come from the dense part) contributing nothing. In 256-bit tiles, or 512-bit ones (BandedWideTiles) on
// panels of 16, as the forward chose.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Rows = Sieve.Kernels.BandedFusedBand.Rows;
using Tensor = TorchSharp.torch.Tensor;

namespace Sieve.Kernels;

/// <summary>
/// The band's gradients of a head with its global columns: for query block r, with P = exp(S − lse) over its window and
/// its global columns and dS = P ∘ (dO·Vᵀ − delta): dq += scale·dS·K, and over the window dk += scale·dSᵀ·q,
/// dv += Pᵀ·dO; the same over its global columns, whose dk and dv (sums over every row) each work item keeps apart and
/// one sequential pass adds at the end.
/// </summary>
internal static class BandedFusedBackward
{
    // Keys per register tile of the transposed products (dk, dv): 4 keys × 16 columns, as the forward's tiles.
    private const int TileKeys = 4;
    private const int TileColumns = 16;

    /// <summary>
    /// One head's tensors: Queries, Keys, Values, GradOutput, Output read; QueryGrads, KeyGrads, ValueGrads added to;
    /// Lse [nb·b, 1] the forward's; BandBias and BlockPattern as in <see cref="BandedFusedBand.Head"/>; RowHasKey
    /// [nb·b, 1] or null. With global columns: their key rows Columns [g], ColumnScores [nb·b, g] (scaled, their bias
    /// added), ColumnKeys and ColumnValues [g, D]. The tensors other than the rows are contiguous.
    /// </summary>
    public sealed record Head(Rows Queries, Rows Keys, Rows Values, Rows GradOutput, Rows Output, Rows QueryGrads, Rows KeyGrads, Rows ValueGrads,
        Tensor Lse, Tensor BandBias, int[] BlockPattern, Tensor? RowHasKey, int[] Columns, Tensor? ColumnScores, Tensor? ColumnKeys,
        Tensor? ColumnValues, int Length, int Dim)
    {
        internal Spans Take() => new(this);
    }

    // One head's spans, taken once per work item (each takes two native calls).
    internal readonly ref struct Spans(Head head)
    {
        public readonly Span<float> Queries = head.Queries.Span(), Keys = head.Keys.Span(), Values = head.Values.Span(), GradOutput = head.GradOutput.Span(),
            Output = head.Output.Span(), QueryGrads = head.QueryGrads.Span(), KeyGrads = head.KeyGrads.Span(), ValueGrads = head.ValueGrads.Span(),
            Lse = BandedFusedBand.Floats(head.Lse), BandBias = BandedFusedBand.Floats(head.BandBias), RowHasKey = BandedFusedBand.Floats(head.RowHasKey),
            ColumnScores = BandedFusedBand.Floats(head.ColumnScores), ColumnKeys = BandedFusedBand.Floats(head.ColumnKeys),
            ColumnValues = BandedFusedBand.Floats(head.ColumnValues);
    }

    /// <summary>
    /// Adds the bands' gradients of all the given heads. Adjacent work items' windows share keys, so the items run in two
    /// parallel loops, even items then odd ones: an item is at least a window long, so items two apart share none, and
    /// each adds its dk and dv rows in place with no private copy to sum afterwards.
    /// </summary>
    public static void Run(IReadOnlyList<Head> heads, BandedSplit split, float scale, int panel)
    {
        int b = split.BlockSize, blocks = split.Blocks;
        int perItem = Math.Max(BandedFusedBand.BlocksPerItem, (split.Window + b - 1) / b), perHead = (blocks + perItem - 1) / perItem;
        // Per head and item: the item's sums of its rows' global-column dk and dv [2, g, D].
        var columnSums = heads.Select(head => new float[perHead * 2 * head.Columns.Length * head.Dim]).ToArray();
        for (int parity = 0; parity < 2; parity++)
        {
            int items = (perHead - parity + 1) / 2;                              // this parity's items per head
            Parallel.For(0, heads.Count * items, index =>
            {
                int item = (2 * (index % items)) + parity, first = item * perItem, size = 2 * heads[index / items].Columns.Length * heads[index / items].Dim;
                Item(heads[index / items], split, scale, first, Math.Min(perItem, blocks - first), columnSums[index / items].AsSpan(item * size, size), panel);
            });
        }
        for (int h = 0; h < heads.Count; h++) AddColumnSums(heads[h], columnSums[h], perHead);
    }

    // Query blocks first … first + count − 1 of one head; their global columns' dk and dv summed into columnSums [2, g, D].
    private static void Item(Head head, BandedSplit split, float scale, int first, int count, Span<float> columnSums, int panel)
    {
        int b = split.BlockSize, window = split.Window, d = head.Dim, g = head.Columns.Length;
        var spans = head.Take();
        int keys = ((count - 1) * b) + window, firstKey = (first - split.BlocksBefore) * b;
        var pool = ArrayPool<float>.Shared;
        float[] keyPanels = pool.Rent(keys * d), valuePanels = pool.Rent(keys * d), probs = pool.Rent(b * window), grads = pool.Rent(b * window);
        float[] zeros = pool.Rent(b * window), queries = pool.Rent(b * d), gradOutput = pool.Rent(b * d), delta = pool.Rent(b), columns = pool.Rent(2 * b * g);
        try
        {
            Array.Clear(zeros, 0, b * window);
            BandedFusedBand.FillPanels(spans.Keys, head.Keys.Stride, head.Length, d, firstKey, keys, keyPanels, panel);
            BandedFusedBand.FillPanels(spans.Values, head.Values.Stride, head.Length, d, firstKey, keys, valuePanels, panel);
            var tiles = new Tiles(probs.AsSpan(0, b * window), grads.AsSpan(0, b * window), zeros.AsSpan(0, b * window), queries.AsSpan(0, b * d),
                gradOutput.AsSpan(0, b * d), delta.AsSpan(0, b), columns.AsSpan(0, b * g), columns.AsSpan(b * g, b * g),
                columnSums[..(g * d)], columnSums[(g * d)..]);
            for (int block = first; block < first + count; block++)
                Block(head, spans, block, split, scale, keyPanels.AsSpan((block - first) * b * d), valuePanels.AsSpan((block - first) * b * d), tiles, panel);
        }
        finally
        {
            foreach (var buffer in (float[][])[keyPanels, valuePanels, probs, grads, zeros, queries, gradOutput, delta, columns]) pool.Return(buffer);
        }
    }

    // A block's scratch: probabilities and score gradients [b, L], a zero bias [b, L], its queries and output gradients
    // [b, D], its rows' delta [b], their global columns' probabilities and score gradients [b, g]; and the item's sums of
    // the columns' dk and dv [g, D].
    private readonly ref struct Tiles(Span<float> probs, Span<float> grads, Span<float> zeros, Span<float> queries, Span<float> gradOutput, Span<float> delta,
        Span<float> columnProbs, Span<float> columnGrads, Span<float> columnKeyGrads, Span<float> columnValueGrads)
    {
        public readonly Span<float> Probs = probs, Grads = grads, Zeros = zeros, Queries = queries, GradOutput = gradOutput, Delta = delta,
            ColumnProbs = columnProbs, ColumnGrads = columnGrads, ColumnKeyGrads = columnKeyGrads, ColumnValueGrads = columnValueGrads;
    }

    // The items' sums of a head's global-column dk and dv, added to those columns' rows.
    private static void AddColumnSums(Head head, float[] sums, int items)
    {
        int g = head.Columns.Length, d = head.Dim;
        Span<float> keyGrads = head.KeyGrads.Span(), valueGrads = head.ValueGrads.Span();
        for (int item = 0; item < items; item++)
        {
            int at = item * 2 * g * d;
            for (int c = 0; c < g; c++)
            {
                Span<float> keyRow = keyGrads.Slice(head.Columns[c] * head.KeyGrads.Stride, d), valueRow = valueGrads.Slice(head.Columns[c] * head.ValueGrads.Stride, d);
                TensorPrimitives.Add(keyRow, sums.AsSpan(at + (c * d), d), keyRow);
                TensorPrimitives.Add(valueRow, sums.AsSpan(at + ((g + c) * d), d), valueRow);
            }
        }
    }

    // Query block `block`: its probabilities and score gradients over the window (panels from the window's first key on)
    // and its global columns, then dq of its rows and dk, dv of its window's keys.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(Head head, in Spans spans, int block, BandedSplit split, float scale, ReadOnlySpan<float> keyPanels,
        ReadOnlySpan<float> valuePanels, in Tiles tiles, int panel)
    {
        int b = split.BlockSize, window = split.Window, d = head.Dim, g = head.Columns.Length, firstRow = block * b, length = head.Length;
        int firstKey = firstRow - (split.BlocksBefore * b), rows = Math.Min(b, length - firstRow);
        BandedFusedBand.CopyRows(spans.Queries, head.Queries.Stride, length, firstRow, b, d, default, tiles.Queries);
        // A row without a key gets no gradient from the band: its output gradient counts as zero, and so its delta.
        BandedFusedBand.CopyRows(spans.GradOutput, head.GradOutput.Stride, length, firstRow, b, d, spans.RowHasKey, tiles.GradOutput);
        for (int i = 0; i < b; i++)
            tiles.Delta[i] = i < rows ? TensorPrimitives.Dot(tiles.GradOutput.Slice(i * d, d), spans.Output.Slice((firstRow + i) * head.Output.Stride, d)) : 0f;
        var bias = spans.BandBias.Slice(head.BlockPattern[block] * b * window, b * window);
        BandedFusedBand.Scores(tiles.Queries, keyPanels, d, b, window, scale, bias, tiles.Probs, panel);   // S
        BandedFusedBand.Scores(tiles.GradOutput, valuePanels, d, b, window, 1f, tiles.Zeros, tiles.Grads, panel);   // dP = dO·Vᵀ
        for (int i = 0; i < b; i++)
        {
            var p = tiles.Probs.Slice(i * window, window);
            var ds = tiles.Grads.Slice(i * window, window);
            float lse = spans.Lse[firstRow + i];
            BandedFusedBand.ExpShifted(p, p, lse);                              // P = exp(S − lse)
            ScoreGradients(ds, p, tiles.Delta[i]);                              // dS = P ∘ (dP − delta)
            if (g > 0) ColumnRow(spans, tiles, firstRow, i, g, d, lse, i < rows);
        }
        if (g > 0)
        {
            // The global columns' dk += scale·dSᵀ·q and dv += Pᵀ·dO, summed over the block's rows into the item's sums.
            AddTransposed(tiles.ColumnGrads, tiles.Queries, b, g, d, tiles.ColumnKeyGrads, d, 0, g, scale, panel);
            AddTransposed(tiles.ColumnProbs, tiles.GradOutput, b, g, d, tiles.ColumnValueGrads, d, 0, g, 1f, panel);
        }
        var dq = new BandedFusedBand.TileStore(spans.QueryGrads, head.QueryGrads.Stride, firstRow, default, scale, tiles.ColumnGrads, spans.ColumnKeys,
            g, d, accumulate: true);
        BandedFusedBand.WeightedRows(tiles.Grads, window, spans.Keys, head.Keys.Stride, firstKey, length, rows, d, dq, panel);   // dq += scale·dS·K
        AddTransposed(tiles.Grads, tiles.Queries, b, window, d, spans.KeyGrads, head.KeyGrads.Stride, firstKey, length, scale, panel);   // dk += scale·dSᵀ·q
        AddTransposed(tiles.Probs, tiles.GradOutput, b, window, d, spans.ValueGrads, head.ValueGrads.Stride, firstKey, length, 1f, panel);   // dv += Pᵀ·dO
    }

    // dS = P ∘ (dP − delta) over one row, in place of dP: one pass where TensorPrimitives takes two calls.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreGradients(Span<float> grads, ReadOnlySpan<float> probs, float delta)
    {
        ref float g = ref MemoryMarshal.GetReference(grads);
        ref float p = ref MemoryMarshal.GetReference(probs);
        var by = Vector256.Create(delta);
        int k = 0;
        for (; k + 8 <= grads.Length; k += 8)
            ((Vector256.LoadUnsafe(ref g, (nuint)k) - by) * Vector256.LoadUnsafe(ref p, (nuint)k)).StoreUnsafe(ref g, (nuint)k);
        for (; k < grads.Length; k++) Unsafe.Add(ref g, k) = (Unsafe.Add(ref g, k) - delta) * Unsafe.Add(ref p, k);
    }

    // Block row i's global columns: their probabilities exp(score − lse) and score gradients P ∘ (dO·v − delta) into the
    // block's tiles; both 0 for a row past N (`inside` false) and for a row without a key (its output gradient is zero:
    // the probability is kept 0 as well, since the columns' dv sums them against it).
    private static void ColumnRow(in Spans spans, in Tiles tiles, int firstRow, int i, int g, int d, float lse, bool inside)
    {
        var gradOutput = tiles.GradOutput.Slice(i * d, d);
        float hasKey = !inside ? 0f : spans.RowHasKey.IsEmpty ? 1f : spans.RowHasKey[firstRow + i];
        for (int c = 0; c < g; c++)
        {
            float p = hasKey == 0f ? 0f : MathF.Exp(spans.ColumnScores[((firstRow + i) * g) + c] - lse);
            tiles.ColumnProbs[(i * g) + c] = p;
            tiles.ColumnGrads[(i * g) + c] = p * (TensorPrimitives.Dot(gradOutput, spans.ColumnValues.Slice(c * d, d)) - tiles.Delta[i]);
        }
    }

    // target[firstKey + j] += factor·Σ_i weights[i, j]·tile[i] for the window's keys j inside 0 … N − 1: weights [b, L],
    // tile [b, D], target rows `stride` apart, added in place. 4 keys × 16 columns per register tile, over the block's
    // b rows; keys left over (at the sequence's ends, or fewer than 4 in all) 1 × 16 at a time. BandedWideTiles' for
    // panels of 16.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTransposed(ReadOnlySpan<float> weights, ReadOnlySpan<float> tile, int b, int window, int d, Span<float> target, int stride,
        int firstKey, int length, float factor, int panel)
    {
        if (panel == BandedWideTiles.Panel)
        {
            BandedWideTiles.AddTransposed(weights, tile, b, window, d, target, stride, firstKey, length, factor);
            return;
        }
        int from = Math.Max(0, -firstKey), to = Math.Min(window, length - firstKey);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float t = ref MemoryMarshal.GetReference(tile);
        ref float o = ref MemoryMarshal.GetReference(target);
        var scale = Vector256.Create(factor);
        int j = from;
        for (; j + TileKeys <= to; j += TileKeys)
        {
            for (int c = 0; c < d; c += TileColumns)
            {
                Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                for (int i = 0; i < b; i++)
                {
                    ref float ti = ref Unsafe.Add(ref t, (i * d) + c);
                    var t0 = Vector256.LoadUnsafe(ref ti);
                    var t1 = Vector256.LoadUnsafe(ref ti, 8);
                    ref float wi = ref Unsafe.Add(ref w, (i * window) + j);
                    var x = Vector256.Create(wi);
                    a00 = Fma.MultiplyAdd(x, t0, a00);
                    a01 = Fma.MultiplyAdd(x, t1, a01);
                    x = Vector256.Create(Unsafe.Add(ref wi, 1));
                    a10 = Fma.MultiplyAdd(x, t0, a10);
                    a11 = Fma.MultiplyAdd(x, t1, a11);
                    x = Vector256.Create(Unsafe.Add(ref wi, 2));
                    a20 = Fma.MultiplyAdd(x, t0, a20);
                    a21 = Fma.MultiplyAdd(x, t1, a21);
                    x = Vector256.Create(Unsafe.Add(ref wi, 3));
                    a30 = Fma.MultiplyAdd(x, t0, a30);
                    a31 = Fma.MultiplyAdd(x, t1, a31);
                }
                ref float o0 = ref Unsafe.Add(ref o, ((firstKey + j) * stride) + c);
                Add(ref o0, scale, a00, a01);
                Add(ref Unsafe.Add(ref o0, stride), scale, a10, a11);
                Add(ref Unsafe.Add(ref o0, 2 * stride), scale, a20, a21);
                Add(ref Unsafe.Add(ref o0, 3 * stride), scale, a30, a31);
            }
        }
        for (; j < to; j++)
        {
            for (int c = 0; c < d; c += TileColumns)
            {
                Vector256<float> a0 = default, a1 = default;
                for (int i = 0; i < b; i++)
                {
                    ref float ti = ref Unsafe.Add(ref t, (i * d) + c);
                    var x = Vector256.Create(Unsafe.Add(ref w, (i * window) + j));
                    a0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref ti), a0);
                    a1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref ti, 8), a1);
                }
                Add(ref Unsafe.Add(ref o, ((firstKey + j) * stride) + c), scale, a0, a1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref float at, Vector256<float> scale, Vector256<float> low, Vector256<float> high)
    {
        Fma.MultiplyAdd(low, scale, Vector256.LoadUnsafe(ref at)).StoreUnsafe(ref at);
        Fma.MultiplyAdd(high, scale, Vector256.LoadUnsafe(ref at, 8)).StoreUnsafe(ref at, 8);
    }
}
