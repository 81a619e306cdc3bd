// Star-Transformer (Guo et al. 2019), as SparseBERT's "Star" row (METHODS.md §3.4) reads it: a ring of satellites that
// see their neighbours, plus one relay node that sees and is seen by all.
namespace Sieve.Patterns;

/// <summary>
/// Star: Local₁ + Global₁. Each token attends to itself and its two neighbours (the satellite ring, not wrapped around),
/// and position 0 ([CLS]) plays the relay node: it attends to every token and every token attends to it. Keeps
/// 5N − 6 entries for N ≥ 2. Spec: <c>star</c>.
/// </summary>
public sealed class StarPattern : Pattern
{
    public override PatternRows Bind(PatternContext context) =>
        new MergedRows(new LocalPattern(1).Bind(context), new GlobalPattern(1).Bind(context), SortedMerge.Union);

    public override string ToString() => "star";
}
