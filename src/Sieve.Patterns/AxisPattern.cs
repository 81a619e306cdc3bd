// AAA's axis pattern (Wang et al. 2022 Eq. 7, §4.1) over explicit row and column positions; Global_g is the axis over 0..g−1.
namespace Sieve.Patterns;

/// <summary>
/// Axis pattern: query i attends to key j when i ∈ rows or j ∈ cols. Positions at or beyond a short input's length are
/// ignored. Spec: <c>axis(rows=[…],cols=[…])</c> (either list may be empty or omitted); printed sorted and unique.
/// </summary>
public sealed class AxisPattern : Pattern
{
    private readonly int[] _rows;
    private readonly int[] _cols;

    public AxisPattern(IEnumerable<int> rows, IEnumerable<int> cols)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cols);
        _rows = [.. rows.Order().Distinct()];
        _cols = [.. cols.Order().Distinct()];
        if (_rows.Length > 0 && _rows[0] < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), _rows[0], $"axis(rows,cols) needs row positions >= 0, got {_rows[0]}");
        if (_cols.Length > 0 && _cols[0] < 0)
            throw new ArgumentOutOfRangeException(nameof(cols), _cols[0], $"axis(rows,cols) needs column positions >= 0, got {_cols[0]}");
    }

    /// <summary>The rows that attend to every key, sorted and unique.</summary>
    public IReadOnlyList<int> RowPositions => _rows;

    /// <summary>The columns every query attends to, sorted and unique.</summary>
    public IReadOnlyList<int> ColumnPositions => _cols;

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, _rows, _cols);

    public override string ToString() => $"axis(rows=[{string.Join(',', _rows)}],cols=[{string.Join(',', _cols)}])";

    private sealed class Rows(int length, int[] rows, int[] cols) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            if (Array.BinarySearch(rows, row) >= 0)
            {
                keys.AddRange(0, Length);
                return;
            }
            foreach (int col in cols)
            {
                if (col >= Length) break;
                keys.Add(col);
            }
        }
    }
}
