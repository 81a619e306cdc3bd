// AAA's diagonal pattern (Wang et al. 2022 Eq. 6, §4.1): a fixed set of offsets |i − j|, the shape SparseBERT's DAM_s learns.
namespace Sieve.Patterns;

/// <summary>
/// Diagonal pattern with offset set 𝒪: query i attends to key j when |i − j| ∈ 𝒪. Symmetric by construction; Local_k
/// is the offsets 0..k. Spec: <c>diagonal(o1,o2,…)</c> with at least one offset, each ≥ 0; printed sorted and unique.
/// </summary>
public sealed class DiagonalPattern : Pattern
{
    private readonly int[] _offsets;

    public DiagonalPattern(IEnumerable<int> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        _offsets = [.. offsets.Order().Distinct()];
        if (_offsets.Length == 0) throw new ArgumentException("diagonal(o1,o2,...) needs at least one offset, got none", nameof(offsets));
        if (_offsets[0] < 0) throw new ArgumentOutOfRangeException(nameof(offsets), _offsets[0], $"diagonal(o1,o2,...) needs offsets >= 0, got {_offsets[0]}");
    }

    /// <summary>The offsets, sorted and unique.</summary>
    public IReadOnlyList<int> Offsets => _offsets;

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, _offsets);

    public override string ToString() => $"diagonal({string.Join(',', _offsets)})";

    private sealed class Rows(int length, int[] offsets) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            // Keys left of the query come from the largest offset down, then the right side from the smallest up.
            for (int m = offsets.Length - 1; m >= 0; m--)
                if (offsets[m] > 0 && row - offsets[m] >= 0) keys.Add(row - offsets[m]);
            foreach (int offset in offsets)
                if ((long)row + offset < Length) keys.Add(row + offset);
        }
    }
}
