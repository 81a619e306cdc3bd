// Longer inputs for a BERT with learned absolute positions, as Longformer does it (Beltagy et al. 2020, §5 "Continued
// MLM pretraining", position embeddings): the new, longer table is the learned 512 rows copied over and over, not a
// random initialisation, so that every position starts with an embedding the model has learned to read.
using static TorchSharp.torch;

namespace Sieve.Checkpoints;

/// <summary>The tiling of a learned position table, and the rules for how a table may grow.</summary>
public static class PositionTable
{
    /// <summary>The method, as cited in help texts and messages.</summary>
    public const string Method = "Longformer's copy initialisation (Beltagy et al. 2020, §5): the learned rows are repeated over the longer table";

    /// <summary>
    /// Refuses a size that is not an extension of <paramref name="current"/> positions. Shrinking would drop learned
    /// rows (truncating inputs does the same job without changing the model), and the same size would only copy the
    /// model. A size that is not a multiple of <paramref name="current"/> is allowed: the last copy is cut short, and
    /// every position still starts from a learned row (the table's periodic structure is the same either way).
    /// </summary>
    /// <exception cref="ArgumentException">The size is not larger than the current one.</exception>
    public static void CheckExtension(int current, int wanted, string source)
    {
        if (wanted == current)
            throw new ArgumentException($"{source} already has {current} positions; nothing to extend (use it as it is, or give a larger size).");
        if (wanted < current)
            throw new ArgumentException($"{source} has {current} positions; {wanted} would drop learned rows. Extension only grows the table (truncate the inputs instead: --max-length).");
    }

    /// <summary>
    /// <paramref name="table"/> [P, H] tiled to <paramref name="rows"/> rows: row i of the result is row i mod P of the
    /// table, bit for bit, in the table's own dtype and device.
    /// </summary>
    public static Tensor Tile(Tensor table, long rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.dim() != 2) throw new ArgumentException($"a position table is [positions, hidden]; got [{string.Join(", ", table.shape)}].", nameof(table));
        long stored = table.shape[0];
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, stored);
        long copies = (rows + stored - 1) / stored;
        return table.repeat(copies, 1).narrow(0, 0, rows).contiguous();   // [rows, H]
    }

    /// <summary>
    /// The <c>position_ids</c> buffer older transformers versions save ([1, P] or [P], 0 … P−1), grown to
    /// <paramref name="rows"/> positions in its own dtype and leading shape.
    /// </summary>
    public static Tensor Ids(Tensor stored, long rows)
    {
        ArgumentNullException.ThrowIfNull(stored);
        long[] shape = [.. stored.shape];
        shape[^1] = rows;
        return Scalars.Arange(0, rows, ScalarType.Int64).to(stored.dtype).reshape(shape);   // [1, rows] or [rows]
    }
}
