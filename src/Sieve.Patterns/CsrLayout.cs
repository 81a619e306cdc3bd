// The compressed-sparse-row layout of one attention map: row offsets and sorted unique key indices. Built from a
// pattern in O(nnz) time and memory, never through an N×N matrix; the block layout and the dense view derive from it.
namespace Sieve.Patterns;

/// <summary>
/// The allowed (query, key) pairs of one attention map in CSR form. Rows span the padded length; padding rows are empty
/// and no key is ever a padding position.
/// </summary>
public sealed class CsrLayout
{
    internal CsrLayout(int length, int paddedLength, int[] rowOffsets, int[] keys, int[] emptyRows)
    {
        Length = length;
        PaddedLength = paddedLength;
        RowOffsets = rowOffsets;
        Keys = keys;
        EmptyRows = emptyRows;
    }

    /// <summary>N, the real length.</summary>
    public int Length { get; }

    /// <summary>The padded length; <see cref="RowOffsets"/> has PaddedLength + 1 entries.</summary>
    public int PaddedLength { get; }

    /// <summary>Row i's keys are <c>Keys[RowOffsets[i]..RowOffsets[i + 1]]</c>.</summary>
    public int[] RowOffsets { get; }

    /// <summary>The key indices, row after row, sorted and unique within each row.</summary>
    public int[] Keys { get; }

    /// <summary>The real rows the pattern left without a key (before <see cref="EmptyRowPolicy"/> was applied).</summary>
    public int[] EmptyRows { get; }

    /// <summary>|B|: the number of allowed entries.</summary>
    public long Nnz => RowOffsets[^1];

    /// <summary>The sparsity of this one map on its real length: 1 − |B|/N² (a term of AAA Eq. 9); 0 when N = 0.</summary>
    public double Sparsity => Length == 0 ? 0 : 1.0 - (double)Nnz / ((double)Length * Length);

    /// <summary>The keys of one row.</summary>
    public ReadOnlySpan<int> Row(int row) => Keys.AsSpan(RowOffsets[row], RowOffsets[row + 1] - RowOffsets[row]);

    /// <summary>Builds the layout of <paramref name="pattern"/> for <paramref name="context"/>.</summary>
    public static CsrLayout Build(Pattern pattern, PatternContext context, EmptyRowPolicy emptyRows = EmptyRowPolicy.AddDiagonal)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(context);
        var rows = pattern.Bind(context);
        int n = context.Length;
        var offsets = new int[context.PaddedLength + 1];
        var keys = new KeyBuffer(Math.Max(16, n * 8));
        var empty = new List<int>();
        for (int row = 0; row < n; row++)
        {
            int start = keys.Count;
            rows.AppendRow(row, keys);
            if (keys.Count == start)
            {
                empty.Add(row);
                if (emptyRows == EmptyRowPolicy.AddDiagonal) keys.Add(row);
            }
            offsets[row + 1] = keys.Count;
        }
        for (int row = n; row < context.PaddedLength; row++) offsets[row + 1] = keys.Count;
        return new CsrLayout(n, context.PaddedLength, offsets, keys.Keys.ToArray(), [.. empty]);
    }

    /// <summary>The dense view, row-major [PaddedLength, PaddedLength]: for tests and pictures of small maps only.</summary>
    public bool[,] ToDense()
    {
        if ((long)PaddedLength * PaddedLength > 1 << 26)
            throw new InvalidOperationException($"a dense view of {PaddedLength}×{PaddedLength} is too large; use the CSR or block layout.");
        var dense = new bool[PaddedLength, PaddedLength];
        for (int row = 0; row < PaddedLength; row++)
            foreach (int key in Row(row)) dense[row, key] = true;
        return dense;
    }
}
