// The block layout of one attention map (FlexAttention's BlockMask, BigBird's blocks): which (query block, key block)
// tiles of size b hold an allowed entry, and which hold only allowed entries. Derived from a CsrLayout in O(nnz).
using System.Text;

namespace Sieve.Patterns;

/// <summary>
/// The non-empty b×b tiles of a <see cref="CsrLayout"/>, block row by block row (CSR over blocks). A tile is
/// <em>full</em> when every real (query, key) pair in it is allowed: the partial last block counts only its real rows
/// and keys, so a kernel may skip the token mask there. Tiles made only of padding are never listed.
/// </summary>
public sealed class BlockLayout
{
    private BlockLayout(CsrLayout csr, int blockSize, int[] rowOffsets, int[] keyBlocks, bool[] full)
    {
        Csr = csr;
        BlockSize = blockSize;
        BlockRowOffsets = rowOffsets;
        KeyBlocks = keyBlocks;
        Full = full;
    }

    /// <summary>The token layout the blocks were derived from (kernels apply its exact mask inside partial tiles).</summary>
    public CsrLayout Csr { get; }

    /// <summary>b, the side of a tile.</summary>
    public int BlockSize { get; }

    /// <summary>Blocks per side over the padded length: ⌈PaddedLength / b⌉; BlockRowOffsets has this many + 1 entries.</summary>
    public int BlockCount => BlockRowOffsets.Length - 1;

    /// <summary>Blocks per side over the real length, ⌈N / b⌉: the grid <see cref="Density"/> is measured on.</summary>
    public int RealBlockCount => (Csr.Length + BlockSize - 1) / BlockSize;

    /// <summary>Query block r's tiles are <c>KeyBlocks[BlockRowOffsets[r]..BlockRowOffsets[r + 1]]</c>.</summary>
    public int[] BlockRowOffsets { get; }

    /// <summary>The key block of every non-empty tile, block row after block row, sorted within a row.</summary>
    public int[] KeyBlocks { get; }

    /// <summary>Parallel to <see cref="KeyBlocks"/>: whether the tile allows every real pair in it.</summary>
    public bool[] Full { get; }

    /// <summary>The number of non-empty tiles.</summary>
    public int Count => KeyBlocks.Length;

    /// <summary>The number of full tiles.</summary>
    public int FullCount => Full.Count(f => f);

    /// <summary>Non-empty tiles over the real grid, Count / ⌈N/b⌉²; 0 when N = 0. Kernels pay for tiles, not tokens.</summary>
    public double Density => RealBlockCount == 0 ? 0 : (double)Count / ((double)RealBlockCount * RealBlockCount);

    /// <summary>The key blocks of one query block.</summary>
    public ReadOnlySpan<int> Row(int queryBlock) =>
        KeyBlocks.AsSpan(BlockRowOffsets[queryBlock], BlockRowOffsets[queryBlock + 1] - BlockRowOffsets[queryBlock]);

    /// <summary>Tiles <paramref name="csr"/> with side <paramref name="blockSize"/>; O(nnz + PaddedLength / b).</summary>
    public static BlockLayout Build(CsrLayout csr, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(csr);
        if (blockSize < 1)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"the block size must be at least 1, got {blockSize}.");
        int n = csr.Length;
        int blocks = (csr.PaddedLength + blockSize - 1) / blockSize;
        var offsets = new int[blocks + 1];
        var keyBlocks = new List<int>();
        var full = new List<bool>();
        // Entries seen per key block within the current block row; only the touched ones are reset, so a block row
        // costs its entries plus its tiles, never the whole grid.
        var counts = new int[blocks];
        var touched = new List<int>();
        for (int qb = 0; qb < blocks; qb++)
        {
            int rowStart = qb * blockSize, rowEnd = Math.Min(rowStart + blockSize, n);
            for (int row = rowStart; row < rowEnd; row++)
            {
                foreach (int key in csr.Row(row))
                {
                    int kb = key / blockSize;
                    if (counts[kb]++ == 0) touched.Add(kb);
                }
            }
            touched.Sort();
            foreach (int kb in touched)
            {
                long realKeys = Math.Min(kb * blockSize + blockSize, n) - kb * blockSize;
                keyBlocks.Add(kb);
                full.Add(counts[kb] == (rowEnd - rowStart) * realKeys);
                counts[kb] = 0;
            }
            touched.Clear();
            offsets[qb + 1] = keyBlocks.Count;
        }
        return new BlockLayout(csr, blockSize, offsets, [.. keyBlocks], [.. full]);
    }

    /// <summary>One line: size, grid, tiles, density and full tiles, e.g. <c>BlockLayout(N=130, b=16, 9×9: 25 tiles, density 0.309, 12 full)</c>.</summary>
    public override string ToString() =>
        $"BlockLayout(N={Csr.Length}, b={BlockSize}, {RealBlockCount}×{RealBlockCount}: {Count} tiles, density {Density:0.###}, {FullCount} full)";

    /// <summary>The real grid as text, one line per query block: '█' full, '▒' partial, '·' empty. For small grids.</summary>
    public string Render()
    {
        int real = RealBlockCount;
        var text = new StringBuilder(real * (real + 1));
        for (int qb = 0; qb < real; qb++)
        {
            var line = Enumerable.Repeat('·', real).ToArray();
            for (int t = BlockRowOffsets[qb]; t < BlockRowOffsets[qb + 1]; t++) line[KeyBlocks[t]] = Full[t] ? '█' : '▒';
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }
}
