// One layer of what a learnable pattern learned: AAA's share of tokens selected as rows and columns (Table 6), the
// offsets each head keeps (learned diagonal, AAA Table 3) or the band degrees it chose (learned degrees, METHODS.md §2.4).
namespace Sieve.Learnable;

/// <summary>
/// What layer <paramref name="Layer"/> learned; only the fields of the pattern's family are set. For aaa(...),
/// <paramref name="RowShare"/> and <paramref name="ColumnShare"/> are shares (0..1) of the <paramref name="Tokens"/> real
/// tokens evaluated; for learned_diagonal, <paramref name="Offsets"/> lists the kept offsets |i − j| per head (their
/// <see cref="LearnedOffsets.Layer"/> is null when every layer shares them, levels fixed and task); for learned_degree,
/// <paramref name="Degrees"/> lists the band degree per head (one per position for per=position).
/// </summary>
public sealed record LearnedLayerReport(int Layer, double? RowShare = null, double? ColumnShare = null, long? Tokens = null,
    IReadOnlyList<LearnedOffsets>? Offsets = null, IReadOnlyList<LearnedDegrees>? Degrees = null);
