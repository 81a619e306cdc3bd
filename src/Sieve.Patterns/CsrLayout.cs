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
    /// <remarks>
    /// Two passes over the rows: the first counts each row's keys into a small reused buffer, the second writes them
    /// straight into an array of exactly |B| entries. That costs a second enumeration but holds memory at 4 bytes per
    /// allowed entry (plus the row offsets), where a growing buffer and a final copy peak near 3×; at N = 65,536 and 12
    /// heads that difference is over a gigabyte (docs/BENCHMARKS.md).
    /// </remarks>
    public static CsrLayout Build(Pattern pattern, PatternContext context, EmptyRowPolicy emptyRows = EmptyRowPolicy.AddDiagonal)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(context);
        // The row offsets are one array of PaddedLength + 1 entries; a longer map cannot be laid out at all.
        if (context.PaddedLength >= Array.MaxLength)
            throw new InvalidOperationException($"a CSR layout holds at most {Array.MaxLength - 1} rows, not {context.PaddedLength}; use a shorter length.");
        var rows = pattern.Bind(context);
        int n = context.Length;
        var offsets = new int[context.PaddedLength + 1];

        // Pass 1: row degrees (the diagonal counted in for an empty row under AddDiagonal), then prefix sums.
        var scratch = new KeyBuffer(256);
        var empty = new List<int>();
        long total = 0;
        for (int row = 0; row < n; row++)
        {
            scratch.Clear();
            rows.AppendRow(row, scratch);
            int degree = scratch.Count;
            if (degree == 0)
            {
                empty.Add(row);
                if (emptyRows == EmptyRowPolicy.AddDiagonal) degree = 1;
            }
            total += degree;
            if (total > Array.MaxLength)
                throw new InvalidOperationException($"pattern {pattern} allows more than {Array.MaxLength} entries at N = {n}; a CSR layout cannot hold it. Use a sparser pattern or a shorter length.");
            offsets[row + 1] = (int)total;
        }
        for (int row = n; row < context.PaddedLength; row++) offsets[row + 1] = (int)total;

        // Pass 2: the same rows again, written in place. A row that comes out differently means the pattern is not
        // a function of its context, which would also break reproducibility, so it is reported rather than patched.
        var keys = new KeyBuffer(new int[total]);
        for (int row = 0; row < n; row++)
        {
            int start = keys.Count;
            rows.AppendRow(row, keys);
            if (keys.Count == start && emptyRows == EmptyRowPolicy.AddDiagonal) keys.Add(row);
            if (keys.Count != offsets[row + 1])
                throw new InvalidOperationException($"pattern {pattern} enumerated row {row} differently on two passes over the same context; a pattern's rows must depend on its context only.");
        }
        return new CsrLayout(n, context.PaddedLength, offsets, keys.Storage, [.. empty]);
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
