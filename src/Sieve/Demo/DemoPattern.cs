// One pattern of the demo as given on the command line: an attention spec (patterns, variants, schedules) or a
// learnable pattern, parsed once so that a bad spec stops the demo before any training.
using Sieve.Learnable;
using Sieve.Variants;

namespace Sieve.Demo;

/// <summary>Exactly one of <see cref="Fixed"/> and <see cref="Learnable"/> is set.</summary>
internal sealed record DemoPattern(AttentionSpec? Fixed, LearnableSpec? Learnable)
{
    public static DemoPattern Parse(string spec) =>
        LearnableSpec.IsLearnable(spec) ? new DemoPattern(null, LearnableSpec.Parse(spec)) : new DemoPattern(AttentionSpec.Parse(spec), null);

    public override string ToString() => Fixed?.ToString() ?? Learnable!.ToString();
}
