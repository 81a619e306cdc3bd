// Report row of the learned diagonal: which offsets |i − j| one head keeps after hardening (AAA Table 3 patterns).
namespace Sieve.Learnable;

/// <summary>The offsets head <paramref name="Head"/> keeps at <paramref name="Layer"/> (null: shared by every layer).</summary>
public sealed record LearnedOffsets(int? Layer, int Head, IReadOnlyList<int> Offsets);
