// Which input-driven positions a `global(tokens=…)` pattern makes global (Longformer §3.1: task-chosen global tokens).
namespace Sieve.Patterns;

/// <summary>The input-dependent global sets; the spec spells them in lower case, e.g. <c>global(tokens=special)</c>.</summary>
public enum GlobalTokenSet
{
    /// <summary>Every special token ([CLS], [SEP]) listed in <see cref="PatternContext.SpecialTokens"/>.</summary>
    Special,

    /// <summary>
    /// Every token of segment 0 in <see cref="PatternContext.SegmentIds"/>: for a sentence pair, [CLS], the first
    /// sentence (the question in QA, Longformer's choice) and the first [SEP].
    /// </summary>
    Segment0,
}
