// The band part of the Banded forward fused per query block, in C# SIMD (AVX2 + FMA, float32, CPU): the block's window
// scores, their softmax and the weighted sum of values stay in one small scratch tile. The torch path writes the scores
// of a chunk ([C, b, L]) to memory and reads them back for the bias, the maximum, exp, the sum and the second product;
// at N = 4,096 those passes and the launches around them took half of its time (docs/BENCHMARKS.md, the forward
// profile). Same function as that path: the same bias (a masked entry scores the lowest finite value), keys outside
// 0 … N − 1 scoring as zero vectors, the global columns in the same softmax, the same rule for rows without a key (all
// entries equal, then zeroed), the same normalised output and log-sum-exp. Its tile kernels (key panels, Scores,
// WeightedRows with a TileStore, ExpShifted, CopyRows) also serve the fused backward (BandedFusedBackward). The products
// run in 256-bit tiles on key panels of 8, or in 512-bit ones on panels of 16 (BandedWideTiles) where the CPU has
// AVX-512 and the shapes fit.
using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Sieve.Kernels;

/// <summary>
/// The band of a head with its global columns: for query block r (rows r·b …), scores of its b rows against the window
/// of L keys starting at key (r − BlocksBefore)·b, plus the band bias, and the rows' global-column scores; one softmax
/// over both, and the output Σ probability·value, normalised, with each row's log-sum-exp.
/// </summary>
internal static class BandedFusedBand
{
    // Rows and output columns of one register tile: 4 × 16 floats, eight 256-bit accumulators, so that the FMA unit has
    // eight independent chains (its latency is about four cycles at two per cycle) and no register spills.
    private const int TileRows = 4;
    private const int TileColumns = 16;

    // Keys per panel of the 256-bit tiles (one vector); a window of an odd number of 8-key blocks ends in half a tile of
    // scores.
    private const int Panel = 8;

    // Query blocks per work item. An item's keys are copied into panels by the thread that runs it (about
    // (64·b + L)·D floats, 300 KiB at b = 16, D = 64), so the loop holds a few such buffers at a time, never a copy of
    // every head's keys: the forward's live peak stays near the output's size.
    internal const int BlocksPerItem = 64;

    /// <summary>Whether the fused band runs for these inputs and this split on this CPU.</summary>
    public static bool Applies(Tensor q, BandedSplit split) =>
        q.dtype == ScalarType.Float32 && q.device_type == TorchSharp.DeviceType.CPU && Fma.IsSupported && Avx.IsSupported
        && q.shape[3] % TileColumns == 0 && split.BlockSize % Panel == 0   // so that windows start on a panel and rows fill tiles
        && q.NumberOfElements < int.MaxValue;

    /// <summary>
    /// Keys per panel, and so which tiles run: 16 (<see cref="BandedWideTiles"/>) when wide tiles are allowed, this CPU
    /// runs 512-bit vectors and the block side and D fit them; else 8 (the 256-bit tiles here).
    /// </summary>
    public static int PanelFor(BandedSplit split, int dim, bool wide) =>
        wide && BandedWideTiles.Supported && BandedWideTiles.Fits(split.BlockSize, dim) ? BandedWideTiles.Panel : Panel;

    /// <summary>
    /// The rows [N, D] of one (example, head) of a [B, H, N, D] tensor whose last dimension is contiguous: Base is that
    /// tensor, or its [B, N, H, D] view, whichever is contiguous (the same memory), Offset the head's first element in it,
    /// Stride the distance between rows. A model's q, k and v are [B, N, H, D] projections seen as [B, H, N, D]: strided heads,
    /// read in place rather than copied (a copy of every head at once would cost the forward's live peak).
    /// </summary>
    public readonly record struct Rows(Tensor Base, int Offset, int Stride)
    {
        internal Span<float> Span() => MemoryMarshal.Cast<byte, float>(Base.bytes)[Offset..];

        /// <summary>Rows of head (e, h) of t [B, H, N, D]; null when neither t nor its [B, N, H, D] view is contiguous.</summary>
        public static Rows? Of(Tensor t, int e, int h)
        {
            var stride = t.stride();
            var contiguous = t.is_contiguous() ? t : t.transpose(1, 2).is_contiguous() ? t.transpose(1, 2) : null;
            return contiguous is null || stride[3] != 1 ? null : new Rows(contiguous, (int)((e * stride[0]) + (h * stride[1])), (int)stride[2]);
        }
    }

    /// <summary>
    /// One head's inputs and outputs, N rows of D: Queries, Keys and Values; BandBias [U, b, L] (block r's mask being
    /// BlockPattern[r]); the global columns' scores ColumnScores [nb·b, g] (scaled, their bias added) and values
    /// ColumnValues [g, D], or null without columns; RowHasKey [nb·b, 1] (0 for rows without a key, or null when every
    /// row has one). Output is written, normalised, and Lse [nb·b, 1] (each row's log-sum-exp, for the backward) when
    /// given. The tensors other than the rows are contiguous.
    /// </summary>
    public sealed record Head(Rows Queries, Rows Keys, Rows Values, Tensor BandBias, int[] BlockPattern, Tensor? ColumnScores, Tensor? ColumnValues,
        Tensor? RowHasKey, Rows Output, Tensor? Lse, int Length, int Dim)
    {
        // The spans are taken once per work item, since each takes two native calls.
        internal HeadSpans Spans() => new(Queries.Span(), Keys.Span(), Values.Span(), Floats(BandBias), Floats(ColumnScores), Floats(ColumnValues),
            Floats(RowHasKey), Output.Span(), Floats(Lse), Dim, Length, (int)(ColumnScores?.shape[1] ?? 0),
            Queries.Stride, Keys.Stride, Values.Stride, Output.Stride);
    }

    /// <summary>A contiguous float32 tensor's elements in place; empty for null.</summary>
    internal static Span<float> Floats(Tensor? t) => t is null ? default : MemoryMarshal.Cast<byte, float>(t.bytes);

    internal readonly ref struct HeadSpans(Span<float> queries, Span<float> keys, Span<float> values, Span<float> bandBias, Span<float> columnScores,
        Span<float> columnValues, Span<float> rowHasKey, Span<float> output, Span<float> lse, int dim, int length, int columns,
        int queryStride, int keyStride, int valueStride, int outputStride)
    {
        public readonly Span<float> Queries = queries, Keys = keys, Values = values, BandBias = bandBias, ColumnScores = columnScores,
            ColumnValues = columnValues, RowHasKey = rowHasKey, Output = output, Lse = lse;
        public readonly int Dim = dim, Length = length, Columns = columns, QueryStride = queryStride, KeyStride = keyStride, ValueStride = valueStride,
            OutputStride = outputStride;
    }

    /// <summary>
    /// Runs the bands of all the given heads in one parallel loop. One loop for all heads, not one per head: after each
    /// torch operation libtorch's OpenMP workers spin for a while on the cores this loop needs, and twelve loops between
    /// torch calls measured slower than the torch path, one loop faster (docs/BENCHMARKS.md).
    /// </summary>
    public static void Run(IReadOnlyList<Head> heads, BandedSplit split, float scale, int panel)
    {
        int blocks = split.Blocks, perHead = (blocks + BlocksPerItem - 1) / BlocksPerItem;
        Parallel.For(0, heads.Count * perHead, item =>
        {
            int first = item % perHead * BlocksPerItem, count = Math.Min(BlocksPerItem, blocks - first);
            int b = split.BlockSize, window = split.Window;
            var spans = heads[item / perHead].Spans();
            int keys = ((count - 1) * b) + window;                                // the item's windows: keys from its first window's start on
            var pool = ArrayPool<float>.Shared;
            float[] panels = pool.Rent(keys * spans.Dim), scratch = pool.Rent(b * window), tail = pool.Rent(b * spans.Dim);
            float[] rows = pool.Rent(b * (spans.Columns + 1));                     // per block: each row's norm, then its columns' probabilities
            try
            {
                FillPanels(spans.Keys, spans.KeyStride, spans.Length, spans.Dim, (first - split.BlocksBefore) * b, keys, panels, panel);
                for (int block = first; block < first + count; block++)
                    Block(spans, heads[item / perHead].BlockPattern[block], block, split, scale, panels, (block - first) * b, scratch, tail, rows, panel);
            }
            finally
            {
                pool.Return(panels);
                pool.Return(scratch);
                pool.Return(tail);
                pool.Return(rows);
            }
        });
    }

    // Keys firstKey … firstKey + count − 1 as panels [count/P, D, P] (P = `panel`, 8 or 16; panel p: keys P·p … P·p + P − 1
    // dimension by dimension), zeros for the ones before 0 or from N on. A tile then reads each of its keys' dimensions as one vector from one
    // contiguous run; from a [D, N] transpose instead, a tile's 64 rows lie N floats apart, fall into a few L1 sets and
    // evict each other (a first version that read them so ran 25–35 % slower).
    internal static void FillPanels(ReadOnlySpan<float> keys, int stride, int length, int d, int firstKey, int count, float[] panels, int panel)
    {
        for (int t = 0; t < count; t++)
        {
            int key = firstKey + t, at = (t / panel * d * panel) + (t % panel);
            bool inside = key >= 0 && key < length;
            for (int c = 0; c < d; c++) panels[at + (c * panel)] = inside ? keys[(key * stride) + c] : 0f;
        }
    }

    // Query block `block`: scores against the panels from key offset `panelKey` on, the softmax over band and global
    // columns, and the normalised output. Its queries are copied to `tail` ([b, D], zeros past N): one contiguous tile
    // whatever q's strides. rows[i] gets row i's norm (1/sum, 0 for a row without a key), rows[b + i·g + c] the
    // probability of its column c before normalising.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(in HeadSpans head, int pattern, int block, BandedSplit split, float scale, float[] panels, int panelKey, float[] scratch,
        float[] tail, float[] rows, int panel)
    {
        int b = split.BlockSize, window = split.Window, d = head.Dim, firstRow = block * b;
        var queries = tail.AsSpan(0, b * d);
        CopyRows(head.Queries, head.QueryStride, head.Length, firstRow, b, d, default, queries);
        var bias = head.BandBias.Slice(pattern * b * window, b * window);
        Scores(queries, panels.AsSpan(panelKey * d), d, b, window, scale, bias, scratch, panel);   // panelKey is a whole number of panels
        int g = head.Columns;
        for (int i = 0; i < b; i++)
        {
            var row = scratch.AsSpan(i * window, window);
            var columns = g == 0 ? default : head.ColumnScores.Slice((firstRow + i) * g, g);
            var columnProbs = rows.AsSpan(b + (i * g), g);
            float max = TensorPrimitives.Max<float>(row);
            if (g > 0) max = Math.Max(max, TensorPrimitives.Max<float>(columns));
            float sum = ExpShifted(row, row, max) + ExpShifted(columns, columnProbs, max);
            if (!head.Lse.IsEmpty) head.Lse[firstRow + i] = MathF.Log(sum) + max;
            rows[i] = (head.RowHasKey.IsEmpty ? 1f : head.RowHasKey[firstRow + i]) / sum;
        }
        var store = new TileStore(head.Output, head.OutputStride, firstRow, rows.AsSpan(0, b), 1f, rows.AsSpan(b, b * g), head.ColumnValues, g, d, accumulate: false);
        WeightedRows(scratch, window, head.Values, head.ValueStride, firstRow - (split.BlocksBefore * b), head.Length, Math.Min(b, head.Length - firstRow), d, store,
            panel);
    }

    // scores[i, j] = scale·(q[i] · key[j]) + bias[i, j] for the block's b queries [b, D] and its window's keys, the
    // panels (of `panel` keys) from the window's first key on. In 256-bit tiles of 4 rows × 16 keys at a time, over D
    // (BandedWideTiles' for panels of 16).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scores(ReadOnlySpan<float> queries, ReadOnlySpan<float> panels, int d, int b, int window, float scale, ReadOnlySpan<float> bias, Span<float> scores,
        int panel)
    {
        if (panel == BandedWideTiles.Panel)
        {
            BandedWideTiles.Scores(queries, panels, d, b, window, scale, bias, scores);
            return;
        }
        int panelFloats = d * Panel;
        ref float q = ref MemoryMarshal.GetReference(queries);
        ref float keys = ref MemoryMarshal.GetReference(panels);
        ref float biasRef = ref MemoryMarshal.GetReference(bias);
        ref float s = ref MemoryMarshal.GetReference(scores);
        var factor = Vector256.Create(scale);
        for (int i = 0; i < b; i += TileRows)
        {
            ref float q0 = ref Unsafe.Add(ref q, i * d);
            int j = 0;
            for (; j + TileColumns <= window; j += TileColumns)
            {
                Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                ref float k0 = ref Unsafe.Add(ref keys, j / Panel * panelFloats);
                ref float k1 = ref Unsafe.Add(ref k0, panelFloats);
                for (int c = 0; c < d; c++)
                {
                    var k00 = Vector256.LoadUnsafe(ref k0, (nuint)(c * Panel));
                    var k01 = Vector256.LoadUnsafe(ref k1, (nuint)(c * Panel));
                    var x = Vector256.Create(Unsafe.Add(ref q0, c));
                    a00 = Fma.MultiplyAdd(x, k00, a00);
                    a01 = Fma.MultiplyAdd(x, k01, a01);
                    x = Vector256.Create(Unsafe.Add(ref q0, d + c));
                    a10 = Fma.MultiplyAdd(x, k00, a10);
                    a11 = Fma.MultiplyAdd(x, k01, a11);
                    x = Vector256.Create(Unsafe.Add(ref q0, (2 * d) + c));
                    a20 = Fma.MultiplyAdd(x, k00, a20);
                    a21 = Fma.MultiplyAdd(x, k01, a21);
                    x = Vector256.Create(Unsafe.Add(ref q0, (3 * d) + c));
                    a30 = Fma.MultiplyAdd(x, k00, a30);
                    a31 = Fma.MultiplyAdd(x, k01, a31);
                }
                int at = (i * window) + j;
                StoreScaled(ref s, ref biasRef, at, factor, a00, a01);
                StoreScaled(ref s, ref biasRef, at + window, factor, a10, a11);
                StoreScaled(ref s, ref biasRef, at + (2 * window), factor, a20, a21);
                StoreScaled(ref s, ref biasRef, at + (3 * window), factor, a30, a31);
            }
            if (j < window) HalfTileScores(ref q0, ref Unsafe.Add(ref keys, j / Panel * panelFloats), d, window, ref Unsafe.Add(ref s, (i * window) + j), ref Unsafe.Add(ref biasRef, (i * window) + j), factor);
        }
    }

    // The last 8 keys of a window for 4 rows, as the tile above.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HalfTileScores(ref float q0, ref float k0, int d, int window, ref float s, ref float bias, Vector256<float> factor)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int c = 0; c < d; c++)
        {
            var k = Vector256.LoadUnsafe(ref k0, (nuint)(c * Panel));
            a0 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref q0, c)), k, a0);
            a1 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref q0, d + c)), k, a1);
            a2 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref q0, (2 * d) + c)), k, a2);
            a3 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref q0, (3 * d) + c)), k, a3);
        }
        Fma.MultiplyAdd(a0, factor, Vector256.LoadUnsafe(ref bias)).StoreUnsafe(ref s);
        Fma.MultiplyAdd(a1, factor, Vector256.LoadUnsafe(ref bias, (nuint)window)).StoreUnsafe(ref s, (nuint)window);
        Fma.MultiplyAdd(a2, factor, Vector256.LoadUnsafe(ref bias, (nuint)(2 * window))).StoreUnsafe(ref s, (nuint)(2 * window));
        Fma.MultiplyAdd(a3, factor, Vector256.LoadUnsafe(ref bias, (nuint)(3 * window))).StoreUnsafe(ref s, (nuint)(3 * window));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScaled(ref float s, ref float bias, int at, Vector256<float> factor, Vector256<float> low, Vector256<float> high)
    {
        Fma.MultiplyAdd(low, factor, Vector256.LoadUnsafe(ref bias, (nuint)at)).StoreUnsafe(ref s, (nuint)at);
        Fma.MultiplyAdd(high, factor, Vector256.LoadUnsafe(ref bias, (nuint)(at + 8))).StoreUnsafe(ref s, (nuint)(at + 8));
    }

    // The product rows of a block, Σ_j weights[i, j]·source[firstKey + j] for its rows before N (`rows` of them), over
    // the window's keys inside 0 … N − 1 (the others are zero vectors), each handed to `store` with its global columns'
    // term; in 256-bit tiles of 4 rows × 16 columns at a time, over the window (BandedWideTiles' for panels of 16).
    // source is read in place, rows `stride` apart.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightedRows(ReadOnlySpan<float> weights, int window, ReadOnlySpan<float> source, int stride, int firstKey, int length, int rows, int d,
        in TileStore store, int panel)
    {
        if (panel == BandedWideTiles.Panel)
        {
            BandedWideTiles.WeightedRows(weights, window, source, stride, firstKey, length, rows, d, store);
            return;
        }
        int from = Math.Max(0, -firstKey), to = Math.Min(window, length - firstKey);
        ref float v = ref MemoryMarshal.GetReference(source);
        ref float p = ref MemoryMarshal.GetReference(weights);
        for (int i = 0; i < rows; i += TileRows)
        {
            ref float p0 = ref Unsafe.Add(ref p, i * window);
            for (int c = 0; c < d; c += TileColumns)
            {
                Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
                ref float v0 = ref Unsafe.Add(ref v, (firstKey * stride) + c);
                for (int j = from; j < to; j++)
                {
                    ref float vj = ref Unsafe.Add(ref v0, j * stride);
                    var v00 = Vector256.LoadUnsafe(ref vj);
                    var v01 = Vector256.LoadUnsafe(ref vj, 8);
                    var x = Vector256.Create(Unsafe.Add(ref p0, j));
                    a00 = Fma.MultiplyAdd(x, v00, a00);
                    a01 = Fma.MultiplyAdd(x, v01, a01);
                    x = Vector256.Create(Unsafe.Add(ref p0, window + j));
                    a10 = Fma.MultiplyAdd(x, v00, a10);
                    a11 = Fma.MultiplyAdd(x, v01, a11);
                    x = Vector256.Create(Unsafe.Add(ref p0, (2 * window) + j));
                    a20 = Fma.MultiplyAdd(x, v00, a20);
                    a21 = Fma.MultiplyAdd(x, v01, a21);
                    x = Vector256.Create(Unsafe.Add(ref p0, (3 * window) + j));
                    a30 = Fma.MultiplyAdd(x, v00, a30);
                    a31 = Fma.MultiplyAdd(x, v01, a31);
                }
                // Rows past N (the last block's padding) are computed with the tile and not stored.
                int real = Math.Min(TileRows, rows - i);
                store.Store(i, c, a00, a01);
                if (real > 1) store.Store(i + 1, c, a10, a11);
                if (real > 2) store.Store(i + 2, c, a20, a21);
                if (real > 3) store.Store(i + 3, c, a30, a31);
            }
        }
    }

    /// <summary>
    /// Where <see cref="WeightedRows"/> puts block row i's columns c … c + 15: (the tile's sum + Σ over global columns of
    /// ColumnWeights[i, column]·ColumnRows[column]) times Factor and, when given, RowFactors[i]; written to Target's row
    /// FirstRow + i, or added to it when Accumulate. The forward stores its output so (weights: the columns'
    /// probabilities, factors: each row's norm), the backward adds dq (weights: the columns' score gradients).
    /// </summary>
    internal readonly ref struct TileStore(Span<float> target, int stride, int firstRow, ReadOnlySpan<float> rowFactors, float factor,
        ReadOnlySpan<float> columnWeights, ReadOnlySpan<float> columnRows, int columns, int dim, bool accumulate)
    {
        private readonly Span<float> _target = target;
        private readonly ReadOnlySpan<float> _rowFactors = rowFactors, _columnWeights = columnWeights, _columnRows = columnRows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int i, int c, Vector256<float> low, Vector256<float> high)
        {
            ref readonly float rowsRef = ref MemoryMarshal.GetReference(_columnRows);
            for (int column = 0; column < columns; column++)
            {
                var w = Vector256.Create(_columnWeights[(i * columns) + column]);
                ref readonly float row = ref Unsafe.Add(ref Unsafe.AsRef(in rowsRef), (column * dim) + c);
                low = Fma.MultiplyAdd(w, Vector256.LoadUnsafe(in row), low);
                high = Fma.MultiplyAdd(w, Vector256.LoadUnsafe(in row, 8), high);
            }
            var scale = Vector256.Create(_rowFactors.IsEmpty ? factor : factor * _rowFactors[i]);
            ref float at = ref Unsafe.Add(ref MemoryMarshal.GetReference(_target), ((firstRow + i) * stride) + c);
            if (accumulate)
            {
                Fma.MultiplyAdd(low, scale, Vector256.LoadUnsafe(ref at)).StoreUnsafe(ref at);
                Fma.MultiplyAdd(high, scale, Vector256.LoadUnsafe(ref at, 8)).StoreUnsafe(ref at, 8);
            }
            else
            {
                (low * scale).StoreUnsafe(ref at);
                (high * scale).StoreUnsafe(ref at, 8);
            }
        }

        /// <summary>
        /// The same for columns c … c + 31 of a 512-bit tile, as two 256-bit halves: the same products in the same order,
        /// once per tile row after its window loop, so the split costs nothing measurable.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(int i, int c, Vector512<float> low, Vector512<float> high)
        {
            Store(i, c, low.GetLower(), low.GetUpper());
            Store(i, c + 16, high.GetLower(), high.GetUpper());
        }
    }

    // to[k] = exp(from[k] − shift), in one pass, returning their sum (from and to may be the same span). One loop where
    // TensorPrimitives takes three calls (subtract, exp, sum), each a pass with its own dispatch: per row of 144 scores
    // the calls cost about as much as the work.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float ExpShifted(ReadOnlySpan<float> from, Span<float> to, float shift)
    {
        ref float source = ref MemoryMarshal.GetReference(from);
        ref float target = ref MemoryMarshal.GetReference(to);
        var by = Vector256.Create(shift);
        var sums = Vector256<float>.Zero;
        int k = 0;
        for (; k + 8 <= from.Length; k += 8)
        {
            var e = Vector256.Exp(Vector256.LoadUnsafe(ref source, (nuint)k) - by);
            e.StoreUnsafe(ref target, (nuint)k);
            sums += e;
        }
        float sum = Vector256.Sum(sums);
        for (; k < from.Length; k++)
        {
            float e = MathF.Exp(Unsafe.Add(ref source, k) - shift);
            Unsafe.Add(ref target, k) = e;
            sum += e;
        }
        return sum;
    }

    // Rows firstRow … firstRow + b − 1 of source (rows `stride` apart) into tile [b, D], times rowFactors[firstRow + i]
    // when given; zeros from row N on.
    internal static void CopyRows(ReadOnlySpan<float> source, int stride, int length, int firstRow, int b, int d, ReadOnlySpan<float> rowFactors, Span<float> tile)
    {
        for (int i = 0; i < b; i++)
        {
            var row = tile.Slice(i * d, d);
            if (firstRow + i >= length) row.Clear();
            else if (rowFactors.IsEmpty) source.Slice((firstRow + i) * stride, d).CopyTo(row);
            else TensorPrimitives.Multiply(source.Slice((firstRow + i) * stride, d), rowFactors[firstRow + i], row);
        }
    }
}
