// Summary numbers of one built attention map: |B|, its Eq. 9 term, the row degrees and the rows the pattern left empty.
namespace Sieve.Patterns;

/// <summary>The statistics of one <see cref="CsrLayout"/>; degrees count real rows after the empty-row policy.</summary>
/// <param name="Length">N, the real length.</param>
/// <param name="Nnz">|B|, the allowed entries.</param>
/// <param name="Sparsity">1 − |B|/N² (one term of AAA Eq. 9).</param>
/// <param name="MinRowDegree">The fewest keys any real row has (0 when N = 0).</param>
/// <param name="MaxRowDegree">The most keys any real row has (0 when N = 0).</param>
/// <param name="EmptyRows">How many real rows the pattern itself left without a key.</param>
public sealed record PatternStats(int Length, long Nnz, double Sparsity, int MinRowDegree, int MaxRowDegree, int EmptyRows)
{
    /// <summary>Reads the statistics off a layout in O(N).</summary>
    public static PatternStats Of(CsrLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        int min = layout.Length == 0 ? 0 : int.MaxValue, max = 0;
        var offsets = layout.RowOffsets;
        for (int row = 0; row < layout.Length; row++)
        {
            int degree = offsets[row + 1] - offsets[row];
            min = Math.Min(min, degree);
            max = Math.Max(max, degree);
        }
        return new PatternStats(layout.Length, layout.Nnz, layout.Sparsity, min, max, layout.EmptyRows.Length);
    }
}
