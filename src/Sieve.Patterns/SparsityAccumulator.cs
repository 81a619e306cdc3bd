// Sparsity of many attention maps: AAA Eq. 9 (mean of 1 − |B|/N_i² over examples, layers and heads, on real lengths)
// and, beside it, SparseBERT's max-length definition 1 − |B|/Nmax² (METHODS.md §1.2, §4.2).
namespace Sieve.Patterns;

/// <summary>
/// Accumulates attention maps one at a time and reports their mean sparsity. <see cref="Sparsity"/> is AAA's Eq. 9,
/// the definition to use for every comparison; <see cref="MaxLengthSparsity"/> is SparseBERT's, which depends on the
/// padded maximum length and is kept only to reproduce numbers quoted under it.
/// </summary>
public sealed class SparsityAccumulator
{
    private double _densitySum;

    /// <summary>Creates an empty accumulator; give <paramref name="maxLength"/> (Nmax) to also get SparseBERT's definition.</summary>
    public SparsityAccumulator(int? maxLength = null)
    {
        if (maxLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "the maximum length Nmax must be at least 1 (SparseBERT uses 128).");
        MaxLength = maxLength;
    }

    /// <summary>Nmax for SparseBERT's definition, or null when only Eq. 9 is wanted.</summary>
    public int? MaxLength { get; }

    /// <summary>How many maps (example × layer × head) were added.</summary>
    public long Count { get; private set; }

    /// <summary>Σ|B| over every map added.</summary>
    public long TotalNnz { get; private set; }

    /// <summary>Adds one map of real length <paramref name="length"/> that keeps <paramref name="nnz"/> entries.</summary>
    public void Add(long nnz, int length)
    {
        if (length < 1)
            throw new ArgumentOutOfRangeException(nameof(length), length, "a map's real length must be at least 1: Eq. 9 divides by N².");
        long cells = (long)length * length;
        if (nnz < 0 || nnz > cells)
            throw new ArgumentOutOfRangeException(nameof(nnz), nnz, $"a map of length {length} keeps between 0 and {cells} entries.");
        if (MaxLength is int max && length > max)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"the length exceeds the maximum length Nmax = {max} given for SparseBERT's definition.");
        _densitySum += nnz / (double)cells;
        TotalNnz += nnz;
        Count++;
    }

    /// <summary>Adds one built layout: its |B| on its real length.</summary>
    public void Add(CsrLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Add(layout.Nnz, layout.Length);
    }

    /// <summary>AAA Eq. 9: the mean over the maps added of 1 − |B|/N_i².</summary>
    public double Sparsity => Count == 0
        ? throw new InvalidOperationException("no attention map was added, so there is no sparsity to report.")
        : 1.0 - _densitySum / Count;

    /// <summary>SparseBERT's definition: the mean over the maps added of 1 − |B|/Nmax².</summary>
    public double MaxLengthSparsity
    {
        get
        {
            if (MaxLength is not int max)
                throw new InvalidOperationException("SparseBERT's sparsity needs the maximum length: create the accumulator with maxLength.");
            if (Count == 0) throw new InvalidOperationException("no attention map was added, so there is no sparsity to report.");
            return 1.0 - TotalNnz / ((double)max * max * Count);
        }
    }
}
