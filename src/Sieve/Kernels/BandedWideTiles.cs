// The fused band's products in 512-bit vectors (AVX-512F), for CPUs that have them: the same three products as the
// 256-bit tiles of BandedFusedBand and BandedFusedBackward, on key panels of 16 instead of 8. A register-only FMA loop
// on this project's machine (AMD EPYC, Zen 5) runs 224 GFLOP/s per core in 512-bit vectors against 112 in 256-bit ones,
// and these tiles measure 200–215 GFLOP/s against the 256-bit tiles' 96–102 (one core, one block's window of 144 keys,
// D = 32 and 64): the product half of the fused loops runs twice as fast. Each tile is 8 rows × 32 columns, sixteen
// accumulators of the 32 registers, so that the two FMA pipes (latency 4) always have independent chains.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sieve.Kernels;

/// <summary>The 512-bit tile kernels of the fused band (forward and backward); see <see cref="BandedFusedBand"/>.</summary>
internal static class BandedWideTiles
{
    /// <summary>Keys per panel: one 512-bit vector of floats.</summary>
    public const int Panel = 16;

    // Rows of a register tile; its columns are two vectors.
    private const int TileRows = 8;
    private const int TileColumns = 2 * Panel;

    /// <summary>Whether this CPU runs 512-bit vectors natively (not split into two 256-bit halves by the JIT).</summary>
    public static bool Supported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Whether the tiles fit a block side and a head dimension: whole 8-row tiles, whole panels, whole 32-column tiles.</summary>
    public static bool Fits(int blockSize, int dim) => blockSize % Panel == 0 && dim % TileColumns == 0;

    /// <summary>
    /// scores[i, j] = scale·(q[i] · key[j]) + bias[i, j] for b queries [b, D] and a window of keys in panels [L/16, D, 16];
    /// tiles of 8 rows × 32 keys, then 8 × 16 for a window that ends in half a tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scores(ReadOnlySpan<float> queries, ReadOnlySpan<float> panels, int d, int b, int window, float scale, ReadOnlySpan<float> bias, Span<float> scores)
    {
        int panel = d * Panel;
        ref float q = ref MemoryMarshal.GetReference(queries);
        ref float keys = ref MemoryMarshal.GetReference(panels);
        ref float biasRef = ref MemoryMarshal.GetReference(bias);
        ref float s = ref MemoryMarshal.GetReference(scores);
        var factor = Vector512.Create(scale);
        for (int i = 0; i < b; i += TileRows)
        {
            ref float q0 = ref Unsafe.Add(ref q, i * d);
            int j = 0;
            for (; j + TileColumns <= window; j += TileColumns)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                ref float k0 = ref Unsafe.Add(ref keys, j / Panel * panel);
                ref float k1 = ref Unsafe.Add(ref k0, panel);
                for (int c = 0; c < d; c++)
                {
                    var low = Vector512.LoadUnsafe(ref k0, (nuint)(c * Panel));
                    var high = Vector512.LoadUnsafe(ref k1, (nuint)(c * Panel));
                    ref float qc = ref Unsafe.Add(ref q0, c);
                    var x = Vector512.Create(qc);
                    a0 = Avx512F.FusedMultiplyAdd(x, low, a0);
                    b0 = Avx512F.FusedMultiplyAdd(x, high, b0);
                    x = Vector512.Create(Unsafe.Add(ref qc, d));
                    a1 = Avx512F.FusedMultiplyAdd(x, low, a1);
                    b1 = Avx512F.FusedMultiplyAdd(x, high, b1);
                    x = Vector512.Create(Unsafe.Add(ref qc, 2 * d));
                    a2 = Avx512F.FusedMultiplyAdd(x, low, a2);
                    b2 = Avx512F.FusedMultiplyAdd(x, high, b2);
                    x = Vector512.Create(Unsafe.Add(ref qc, 3 * d));
                    a3 = Avx512F.FusedMultiplyAdd(x, low, a3);
                    b3 = Avx512F.FusedMultiplyAdd(x, high, b3);
                    x = Vector512.Create(Unsafe.Add(ref qc, 4 * d));
                    a4 = Avx512F.FusedMultiplyAdd(x, low, a4);
                    b4 = Avx512F.FusedMultiplyAdd(x, high, b4);
                    x = Vector512.Create(Unsafe.Add(ref qc, 5 * d));
                    a5 = Avx512F.FusedMultiplyAdd(x, low, a5);
                    b5 = Avx512F.FusedMultiplyAdd(x, high, b5);
                    x = Vector512.Create(Unsafe.Add(ref qc, 6 * d));
                    a6 = Avx512F.FusedMultiplyAdd(x, low, a6);
                    b6 = Avx512F.FusedMultiplyAdd(x, high, b6);
                    x = Vector512.Create(Unsafe.Add(ref qc, 7 * d));
                    a7 = Avx512F.FusedMultiplyAdd(x, low, a7);
                    b7 = Avx512F.FusedMultiplyAdd(x, high, b7);
                }
                int at = (i * window) + j;
                StoreScaled(ref s, ref biasRef, at, factor, a0, b0);
                StoreScaled(ref s, ref biasRef, at += window, factor, a1, b1);
                StoreScaled(ref s, ref biasRef, at += window, factor, a2, b2);
                StoreScaled(ref s, ref biasRef, at += window, factor, a3, b3);
                StoreScaled(ref s, ref biasRef, at += window, factor, a4, b4);
                StoreScaled(ref s, ref biasRef, at += window, factor, a5, b5);
                StoreScaled(ref s, ref biasRef, at += window, factor, a6, b6);
                StoreScaled(ref s, ref biasRef, at + window, factor, a7, b7);
            }
            if (j < window) HalfTileScores(ref q0, ref Unsafe.Add(ref keys, j / Panel * panel), d, window, ref Unsafe.Add(ref s, (i * window) + j), ref Unsafe.Add(ref biasRef, (i * window) + j), factor);
        }
    }

    // The last 16 keys of a window for 8 rows, as the tile above.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HalfTileScores(ref float q0, ref float k0, int d, int window, ref float s, ref float bias, Vector512<float> factor)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int c = 0; c < d; c++)
        {
            var k = Vector512.LoadUnsafe(ref k0, (nuint)(c * Panel));
            ref float qc = ref Unsafe.Add(ref q0, c);
            a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(qc), k, a0);
            a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, d)), k, a1);
            a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, 2 * d)), k, a2);
            a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, 3 * d)), k, a3);
            a4 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, 4 * d)), k, a4);
            a5 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, 5 * d)), k, a5);
            a6 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, 6 * d)), k, a6);
            a7 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref qc, 7 * d)), k, a7);
        }
        StoreScaled(ref s, ref bias, 0, factor, a0);
        StoreScaled(ref s, ref bias, window, factor, a1);
        StoreScaled(ref s, ref bias, 2 * window, factor, a2);
        StoreScaled(ref s, ref bias, 3 * window, factor, a3);
        StoreScaled(ref s, ref bias, 4 * window, factor, a4);
        StoreScaled(ref s, ref bias, 5 * window, factor, a5);
        StoreScaled(ref s, ref bias, 6 * window, factor, a6);
        StoreScaled(ref s, ref bias, 7 * window, factor, a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScaled(ref float s, ref float bias, int at, Vector512<float> factor, Vector512<float> sums) =>
        Avx512F.FusedMultiplyAdd(sums, factor, Vector512.LoadUnsafe(ref bias, (nuint)at)).StoreUnsafe(ref s, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScaled(ref float s, ref float bias, int at, Vector512<float> factor, Vector512<float> low, Vector512<float> high)
    {
        StoreScaled(ref s, ref bias, at, factor, low);
        StoreScaled(ref s, ref bias, at + Panel, factor, high);
    }

    /// <summary>
    /// The product rows of a block, Σ_j weights[i, j]·source[firstKey + j], as <see cref="BandedFusedBand.WeightedRows"/>:
    /// over the window's keys inside 0 … N − 1, each of the `rows` real rows handed to `store`; tiles of 8 rows × 32 columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedRows(ReadOnlySpan<float> weights, int window, ReadOnlySpan<float> source, int stride, int firstKey, int length, int rows, int d,
        in BandedFusedBand.TileStore store)
    {
        int from = Math.Max(0, -firstKey), to = Math.Min(window, length - firstKey);
        ref float v = ref MemoryMarshal.GetReference(source);
        ref float p = ref MemoryMarshal.GetReference(weights);
        for (int i = 0; i < rows; i += TileRows)
        {
            ref float p0 = ref Unsafe.Add(ref p, i * window);
            for (int c = 0; c < d; c += TileColumns)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                ref float v0 = ref Unsafe.Add(ref v, (firstKey * stride) + c);
                for (int j = from; j < to; j++)
                {
                    ref float vj = ref Unsafe.Add(ref v0, j * stride);
                    var low = Vector512.LoadUnsafe(ref vj);
                    var high = Vector512.LoadUnsafe(ref vj, Panel);
                    ref float pj = ref Unsafe.Add(ref p0, j);
                    var x = Vector512.Create(pj);
                    a0 = Avx512F.FusedMultiplyAdd(x, low, a0);
                    b0 = Avx512F.FusedMultiplyAdd(x, high, b0);
                    x = Vector512.Create(Unsafe.Add(ref pj, window));
                    a1 = Avx512F.FusedMultiplyAdd(x, low, a1);
                    b1 = Avx512F.FusedMultiplyAdd(x, high, b1);
                    x = Vector512.Create(Unsafe.Add(ref pj, 2 * window));
                    a2 = Avx512F.FusedMultiplyAdd(x, low, a2);
                    b2 = Avx512F.FusedMultiplyAdd(x, high, b2);
                    x = Vector512.Create(Unsafe.Add(ref pj, 3 * window));
                    a3 = Avx512F.FusedMultiplyAdd(x, low, a3);
                    b3 = Avx512F.FusedMultiplyAdd(x, high, b3);
                    x = Vector512.Create(Unsafe.Add(ref pj, 4 * window));
                    a4 = Avx512F.FusedMultiplyAdd(x, low, a4);
                    b4 = Avx512F.FusedMultiplyAdd(x, high, b4);
                    x = Vector512.Create(Unsafe.Add(ref pj, 5 * window));
                    a5 = Avx512F.FusedMultiplyAdd(x, low, a5);
                    b5 = Avx512F.FusedMultiplyAdd(x, high, b5);
                    x = Vector512.Create(Unsafe.Add(ref pj, 6 * window));
                    a6 = Avx512F.FusedMultiplyAdd(x, low, a6);
                    b6 = Avx512F.FusedMultiplyAdd(x, high, b6);
                    x = Vector512.Create(Unsafe.Add(ref pj, 7 * window));
                    a7 = Avx512F.FusedMultiplyAdd(x, low, a7);
                    b7 = Avx512F.FusedMultiplyAdd(x, high, b7);
                }
                // Rows past N (the last block's padding) are computed with the tile and not stored.
                int real = Math.Min(TileRows, rows - i);
                store.Store(i, c, a0, b0);
                if (real > 1) store.Store(i + 1, c, a1, b1);
                if (real > 2) store.Store(i + 2, c, a2, b2);
                if (real > 3) store.Store(i + 3, c, a3, b3);
                if (real > 4) store.Store(i + 4, c, a4, b4);
                if (real > 5) store.Store(i + 5, c, a5, b5);
                if (real > 6) store.Store(i + 6, c, a6, b6);
                if (real > 7) store.Store(i + 7, c, a7, b7);
            }
        }
    }

    /// <summary>
    /// target[firstKey + j] += factor·Σ_i weights[i, j]·tile[i] for the window's keys j inside 0 … N − 1, as
    /// BandedFusedBackward's 256-bit version: 8 keys × 32 columns per register tile over the block's b rows, keys left
    /// over 1 × 32 at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddTransposed(ReadOnlySpan<float> weights, ReadOnlySpan<float> tile, int b, int window, int d, Span<float> target, int stride,
        int firstKey, int length, float factor)
    {
        int from = Math.Max(0, -firstKey), to = Math.Min(window, length - firstKey);
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float t = ref MemoryMarshal.GetReference(tile);
        ref float o = ref MemoryMarshal.GetReference(target);
        var scale = Vector512.Create(factor);
        int j = from;
        for (; j + TileRows <= to; j += TileRows)
        {
            for (int c = 0; c < d; c += TileColumns)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
                Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                for (int i = 0; i < b; i++)
                {
                    ref float ti = ref Unsafe.Add(ref t, (i * d) + c);
                    var low = Vector512.LoadUnsafe(ref ti);
                    var high = Vector512.LoadUnsafe(ref ti, Panel);
                    ref float wi = ref Unsafe.Add(ref w, (i * window) + j);
                    var x = Vector512.Create(wi);
                    a0 = Avx512F.FusedMultiplyAdd(x, low, a0);
                    b0 = Avx512F.FusedMultiplyAdd(x, high, b0);
                    x = Vector512.Create(Unsafe.Add(ref wi, 1));
                    a1 = Avx512F.FusedMultiplyAdd(x, low, a1);
                    b1 = Avx512F.FusedMultiplyAdd(x, high, b1);
                    x = Vector512.Create(Unsafe.Add(ref wi, 2));
                    a2 = Avx512F.FusedMultiplyAdd(x, low, a2);
                    b2 = Avx512F.FusedMultiplyAdd(x, high, b2);
                    x = Vector512.Create(Unsafe.Add(ref wi, 3));
                    a3 = Avx512F.FusedMultiplyAdd(x, low, a3);
                    b3 = Avx512F.FusedMultiplyAdd(x, high, b3);
                    x = Vector512.Create(Unsafe.Add(ref wi, 4));
                    a4 = Avx512F.FusedMultiplyAdd(x, low, a4);
                    b4 = Avx512F.FusedMultiplyAdd(x, high, b4);
                    x = Vector512.Create(Unsafe.Add(ref wi, 5));
                    a5 = Avx512F.FusedMultiplyAdd(x, low, a5);
                    b5 = Avx512F.FusedMultiplyAdd(x, high, b5);
                    x = Vector512.Create(Unsafe.Add(ref wi, 6));
                    a6 = Avx512F.FusedMultiplyAdd(x, low, a6);
                    b6 = Avx512F.FusedMultiplyAdd(x, high, b6);
                    x = Vector512.Create(Unsafe.Add(ref wi, 7));
                    a7 = Avx512F.FusedMultiplyAdd(x, low, a7);
                    b7 = Avx512F.FusedMultiplyAdd(x, high, b7);
                }
                ref float o0 = ref Unsafe.Add(ref o, ((firstKey + j) * stride) + c);
                Add(ref o0, scale, a0, b0);
                Add(ref Unsafe.Add(ref o0, stride), scale, a1, b1);
                Add(ref Unsafe.Add(ref o0, 2 * stride), scale, a2, b2);
                Add(ref Unsafe.Add(ref o0, 3 * stride), scale, a3, b3);
                Add(ref Unsafe.Add(ref o0, 4 * stride), scale, a4, b4);
                Add(ref Unsafe.Add(ref o0, 5 * stride), scale, a5, b5);
                Add(ref Unsafe.Add(ref o0, 6 * stride), scale, a6, b6);
                Add(ref Unsafe.Add(ref o0, 7 * stride), scale, a7, b7);
            }
        }
        for (; j < to; j++)
        {
            for (int c = 0; c < d; c += TileColumns)
            {
                Vector512<float> a0 = default, b0 = default;
                for (int i = 0; i < b; i++)
                {
                    ref float ti = ref Unsafe.Add(ref t, (i * d) + c);
                    var x = Vector512.Create(Unsafe.Add(ref w, (i * window) + j));
                    a0 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref ti), a0);
                    b0 = Avx512F.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref ti, Panel), b0);
                }
                Add(ref Unsafe.Add(ref o, ((firstKey + j) * stride) + c), scale, a0, b0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref float at, Vector512<float> scale, Vector512<float> low, Vector512<float> high)
    {
        Avx512F.FusedMultiplyAdd(low, scale, Vector512.LoadUnsafe(ref at)).StoreUnsafe(ref at);
        Avx512F.FusedMultiplyAdd(high, scale, Vector512.LoadUnsafe(ref at, Panel)).StoreUnsafe(ref at, Panel);
    }
}
