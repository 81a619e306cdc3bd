// Rows stored explicitly after binding (random samples, per-example sets): CSR-like offsets and sorted keys per row.
namespace Sieve.Patterns;

/// <summary>A bound pattern whose rows were computed at bind time: row i's keys are <c>keys[offsets[i]..offsets[i+1]]</c>.</summary>
internal sealed class ListedRows(int length, int[] offsets, int[] keys) : PatternRows(length)
{
    public override void AppendRow(int row, KeyBuffer output) =>
        output.AddRange(keys.AsSpan(offsets[row], offsets[row + 1] - offsets[row]));

    /// <summary>
    /// Groups (row, key) pairs by row with a counting sort and sorts each row's keys: O(M + N + Σ mᵢ log mᵢ) time and
    /// O(M + N) memory for M pairs, never O(N²). The pairs must be distinct.
    /// </summary>
    public static ListedRows FromPairs(int length, ReadOnlySpan<int> rows, ReadOnlySpan<int> cols)
    {
        var offsets = new int[length + 1];
        foreach (int row in rows) offsets[row + 1]++;
        for (int row = 0; row < length; row++) offsets[row + 1] += offsets[row];
        var keys = new int[rows.Length];
        var fill = offsets[..^1];
        for (int m = 0; m < rows.Length; m++) keys[fill[rows[m]]++] = cols[m];
        for (int row = 0; row < length; row++) Array.Sort(keys, offsets[row], offsets[row + 1] - offsets[row]);
        return new ListedRows(length, offsets, keys);
    }
}
