// Matrix products in 512-bit vectors (AVX-512F) for the linear layers. The libtorch build here runs float32 products at
// about the 256-bit peak (a 1024² mm at 162–183 GFLOP/s on two cores, docs/BENCHMARKS.md) where this CPU's 512-bit FMA
// loop reaches 448, and once attention is sparse the projections and the feed-forward sublayer are most of an encoder's
// time at long N (bert-base at 4,096: 376 of 414 ms a layer). The loop order is BLIS's: the right operand packed once
// into panels of 32 columns ([panel][k][32], zero-padded), row blocks of the output in parallel, depth slices of 256 so
// that a panel's slice (32 KiB) stays in L1 while the block's row tiles go past it and the block's rows (up to
// 128 × 256 floats) stay in L2. Each tile is 8 rows × 32 columns, sixteen accumulators, as BandedWideTiles's.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// C[M, N] = A[M, K]·B[K, N] (+ bias[N]) in float32 on the CPU, in 512-bit tiles; see <see cref="Supported"/>. A is read
/// through its two strides, so that Aᵀ of a row-major matrix costs no copy; B is row-major [K, N], or row-major [N, K]
/// and used transposed, as a linear layer's weight is.
/// </summary>
internal static class WideGemm
{
    private const int TileRows = 8;
    private const int TileColumns = 32;
    private const int Half = TileColumns / 2;

    // Depth of a slice: a panel's slice is Depth × 32 floats, 32 KiB, within the 48 KiB L1 of this CPU.
    private const int Depth = 256;

    // Rows of a work item: the item's slice of A (128 × 256 floats, 128 KiB) stays in L2 across the panels.
    private const int MaxBlockRows = 128;

    // Panels summed over all depth slices before the next ones start.
    private const int GroupPanels = 8;

    /// <summary>Whether this CPU runs 512-bit vectors natively.</summary>
    public static bool Supported => BandedWideTiles.Supported;

    /// <summary>The left operand: a contiguous float32 tensor whose element (i, k) is at i·RowStride + k·ColumnStride.</summary>
    public readonly record struct Left(Tensor Values, int RowStride, int ColumnStride);

    /// <summary>
    /// Writes A·B (+ bias) over c, a contiguous float32 [M, N] tensor. <paramref name="b"/> is contiguous [K, N], or [N, K]
    /// when <paramref name="bTransposed"/>; <paramref name="bias"/> is contiguous [N] or null.
    /// </summary>
    public static void Multiply(Left a, Tensor b, bool bTransposed, Tensor? bias, Tensor c, int m, int n, int k)
    {
        int panels = (n + TileColumns - 1) / TileColumns;
        var packed = ArrayPool<float>.Shared.Rent(panels * k * TileColumns);
        try
        {
            Parallel.For(0, panels, p => Pack(BandedFusedBand.Floats(b), bTransposed, n, k, p, packed.AsSpan(p * k * TileColumns, k * TileColumns)));
            int blockRows = BlockRows(m), blocks = (m + blockRows - 1) / blockRows;
            Parallel.For(0, blocks, block =>
            {
                int first = block * blockRows;
                RunBlock(BandedFusedBand.Floats(a.Values), a.RowStride, a.ColumnStride, packed, BandedFusedBand.Floats(bias), BandedFusedBand.Floats(c), first,
                    Math.Min(blockRows, m - first), n, k);
            });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    // Up to 128 rows an item, fewer when M is small so that both cores get at least two items.
    private static int BlockRows(int m)
    {
        int quarter = (m + 3) / 4;
        return Math.Clamp((quarter + TileRows - 1) / TileRows * TileRows, TileRows, MaxBlockRows);
    }

    // Panel p of B as [k][32]: columns p·32 … p·32 + 31 of each of the K rows of B, zeros past column N.
    private static void Pack(ReadOnlySpan<float> b, bool transposed, int n, int k, int p, Span<float> panel)
    {
        int first = p * TileColumns, columns = Math.Min(TileColumns, n - first);
        if (columns < TileColumns) panel.Clear();
        if (!transposed)
        {
            for (int row = 0; row < k; row++) b.Slice((row * n) + first, columns).CopyTo(panel.Slice(row * TileColumns, columns));
            return;
        }
        // B is [N, K]: column j of the panel is row first + j of b, read row by row and written with a stride of 32.
        for (int j = 0; j < columns; j++)
        {
            var source = b.Slice((first + j) * k, k);
            for (int row = 0; row < k; row++) panel[(row * TileColumns) + j] = source[row];
        }
    }

    // Rows first … first + rows − 1 of C, in groups of 8 panels (256 columns): within a group depth slice by depth
    // slice, panel by panel, tile by tile, so that the group's part of C (128 × 256 floats) stays in L2 while it is
    // summed over the slices; over all of N at once it would not (768 → 3,072 at M = 4,096 ran at 133 GFLOP/s that way).
    private static void RunBlock(ReadOnlySpan<float> a, int rowStride, int columnStride, float[] packed, ReadOnlySpan<float> bias, Span<float> c,
        int first, int rows, int n, int k)
    {
        int panels = (n + TileColumns - 1) / TileColumns;
        for (int group = 0; group < panels; group += GroupPanels)
        {
            for (int k0 = 0; k0 < k; k0 += Depth)
            {
                int depth = Math.Min(Depth, k - k0);
                bool start = k0 == 0, addBias = start && !bias.IsEmpty;
                for (int p = group; p < Math.Min(panels, group + GroupPanels); p++)
                {
                    ref float panel = ref packed[(p * k * TileColumns) + (k0 * TileColumns)];
                    int column = p * TileColumns, columns = Math.Min(TileColumns, n - column);
                    for (int i = first; i < first + rows; i += TileRows)
                    {
                        int tileRows = Math.Min(TileRows, first + rows - i);
                        ref float aTile = ref Unsafe.AsRef(in a[(i * rowStride) + (k0 * columnStride)]);
                        if (tileRows == TileRows && columns == TileColumns)
                        {
                            Tile(ref aTile, rowStride, columnStride, ref panel, depth, ref c[(i * n) + column], n, start,
                                ref addBias ? ref Unsafe.AsRef(in bias[column]) : ref Unsafe.NullRef<float>());
                            continue;
                        }
                        EdgeTile(a, rowStride, columnStride, i, k0, tileRows, ref panel, depth, c, n, column, columns, start,
                            addBias ? bias.Slice(column, columns) : default);
                    }
                }
            }
        }
    }

    // A tile with fewer than 8 rows or 32 columns: its rows copied into a zero-padded 8-row scratch, its part of C and
    // of the bias into a 32-column one, the full tile run there, and the real part copied back.
    private static void EdgeTile(ReadOnlySpan<float> a, int rowStride, int columnStride, int i, int k0, int rows, ref float panel, int depth,
        Span<float> c, int n, int column, int columns, bool start, ReadOnlySpan<float> bias)
    {
        Span<float> aScratch = stackalloc float[TileRows * Depth];
        Span<float> cScratch = stackalloc float[TileRows * TileColumns];
        Span<float> biasScratch = stackalloc float[TileColumns];
        aScratch.Clear();
        cScratch.Clear();
        biasScratch.Clear();
        for (int r = 0; r < rows; r++)
        {
            for (int d = 0; d < depth; d++) aScratch[(r * Depth) + d] = a[((i + r) * rowStride) + ((k0 + d) * columnStride)];
            if (!start) c.Slice(((i + r) * n) + column, columns).CopyTo(cScratch.Slice(r * TileColumns, columns));
        }
        bias.CopyTo(biasScratch);
        Tile(ref MemoryMarshal.GetReference(aScratch), Depth, 1, ref panel, depth, ref MemoryMarshal.GetReference(cScratch), TileColumns, start,
            ref bias.IsEmpty ? ref Unsafe.NullRef<float>() : ref MemoryMarshal.GetReference(biasScratch));
        for (int r = 0; r < rows; r++) cScratch.Slice(r * TileColumns, columns).CopyTo(c.Slice(((i + r) * n) + column, columns));
    }

    /// <summary>
    /// One 8 × 32 tile of C over one depth slice: Σ_d A[r, d]·panel[d, ·], A's rows at <paramref name="rowStride"/>
    /// and its depth at <paramref name="columnStride"/>; written over C (plus the bias, unless it is a null reference)
    /// on the first slice, added to it on the others.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(ref float a, int rowStride, int columnStride, ref float panel, int depth, ref float c, int ldc, bool start, ref float bias)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        ref float r0 = ref a;
        ref float r1 = ref Unsafe.Add(ref a, rowStride);
        ref float r2 = ref Unsafe.Add(ref a, 2 * rowStride);
        ref float r3 = ref Unsafe.Add(ref a, 3 * rowStride);
        ref float r4 = ref Unsafe.Add(ref a, 4 * rowStride);
        ref float r5 = ref Unsafe.Add(ref a, 5 * rowStride);
        ref float r6 = ref Unsafe.Add(ref a, 6 * rowStride);
        ref float r7 = ref Unsafe.Add(ref a, 7 * rowStride);
        nint at = 0;
        for (int d = 0; d < depth; d++, at += columnStride)
        {
            var low = Vector512.LoadUnsafe(ref panel, (nuint)(d * TileColumns));
            var high = Vector512.LoadUnsafe(ref panel, (nuint)((d * TileColumns) + Half));
            var x = Vector512.Create(Unsafe.Add(ref r0, at));
            a0 = Avx512F.FusedMultiplyAdd(x, low, a0);
            b0 = Avx512F.FusedMultiplyAdd(x, high, b0);
            x = Vector512.Create(Unsafe.Add(ref r1, at));
            a1 = Avx512F.FusedMultiplyAdd(x, low, a1);
            b1 = Avx512F.FusedMultiplyAdd(x, high, b1);
            x = Vector512.Create(Unsafe.Add(ref r2, at));
            a2 = Avx512F.FusedMultiplyAdd(x, low, a2);
            b2 = Avx512F.FusedMultiplyAdd(x, high, b2);
            x = Vector512.Create(Unsafe.Add(ref r3, at));
            a3 = Avx512F.FusedMultiplyAdd(x, low, a3);
            b3 = Avx512F.FusedMultiplyAdd(x, high, b3);
            x = Vector512.Create(Unsafe.Add(ref r4, at));
            a4 = Avx512F.FusedMultiplyAdd(x, low, a4);
            b4 = Avx512F.FusedMultiplyAdd(x, high, b4);
            x = Vector512.Create(Unsafe.Add(ref r5, at));
            a5 = Avx512F.FusedMultiplyAdd(x, low, a5);
            b5 = Avx512F.FusedMultiplyAdd(x, high, b5);
            x = Vector512.Create(Unsafe.Add(ref r6, at));
            a6 = Avx512F.FusedMultiplyAdd(x, low, a6);
            b6 = Avx512F.FusedMultiplyAdd(x, high, b6);
            x = Vector512.Create(Unsafe.Add(ref r7, at));
            a7 = Avx512F.FusedMultiplyAdd(x, low, a7);
            b7 = Avx512F.FusedMultiplyAdd(x, high, b7);
        }
        var biasLow = Vector512<float>.Zero;
        var biasHigh = Vector512<float>.Zero;
        if (!Unsafe.IsNullRef(ref bias))
        {
            biasLow = Vector512.LoadUnsafe(ref bias);
            biasHigh = Vector512.LoadUnsafe(ref bias, Half);
        }
        Store(ref c, start, biasLow, biasHigh, a0, b0);
        Store(ref Unsafe.Add(ref c, ldc), start, biasLow, biasHigh, a1, b1);
        Store(ref Unsafe.Add(ref c, 2 * ldc), start, biasLow, biasHigh, a2, b2);
        Store(ref Unsafe.Add(ref c, 3 * ldc), start, biasLow, biasHigh, a3, b3);
        Store(ref Unsafe.Add(ref c, 4 * ldc), start, biasLow, biasHigh, a4, b4);
        Store(ref Unsafe.Add(ref c, 5 * ldc), start, biasLow, biasHigh, a5, b5);
        Store(ref Unsafe.Add(ref c, 6 * ldc), start, biasLow, biasHigh, a6, b6);
        Store(ref Unsafe.Add(ref c, 7 * ldc), start, biasLow, biasHigh, a7, b7);
    }

    // One row of a tile: the sums plus the bias over C on the first slice (the bias is zero on the others), plus C after.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float c, bool start, Vector512<float> biasLow, Vector512<float> biasHigh, Vector512<float> low, Vector512<float> high)
    {
        if (!start)
        {
            biasLow = Vector512.LoadUnsafe(ref c);
            biasHigh = Vector512.LoadUnsafe(ref c, Half);
        }
        (low + biasLow).StoreUnsafe(ref c);
        (high + biasHigh).StoreUnsafe(ref c, Half);
    }
}
