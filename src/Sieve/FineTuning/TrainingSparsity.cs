// AAA Eq. 9 of a fixed pattern over a task's training examples, every layer and head: the ρ a learnable pattern is
// trained towards when it is to match that pattern (AAA Table 4 trains AAA "to the specific sparsity ratio on each
// task" of the fixed pattern it is compared with). Eq. 9 uses each example's real length, so the value depends on the
// task's lengths and the tokenizer, and is measured rather than given by hand: FineTuneJob measures it on the examples
// it has just encoded for training (FineTuneOptions.MatchSparsityOf).
using Sieve.Patterns;
using Sieve.Specs;

namespace Sieve.FineTuning;

/// <summary>The sparsity (Eq. 9) a fixed pattern has on a task's training examples.</summary>
public static class TrainingSparsity
{
    /// <summary>
    /// The fixed pattern of a <c>match_sparsity_of</c> spec; a <see cref="SpecException"/> when the spec is not one (a
    /// variant or a learnable pattern has no sparsity before it is trained).
    /// </summary>
    public static Pattern PatternOf(string spec) =>
        AttentionSpec.Parse(spec).RequirePattern("match_sparsity_of", "give a fixed pattern, whose sparsity on the training set is the target");

    /// <summary>
    /// ρ of <paramref name="pattern"/> over the encoded training <paramref name="examples"/> (their real lengths and
    /// contexts), averaged over <paramref name="layers"/> × <paramref name="heads"/>.
    /// </summary>
    public static double Of(Pattern pattern, IEnumerable<EncodedExample> examples, int layers, int heads)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(examples);
        var sparsity = new SparsityAccumulator();
        foreach (var example in examples)
        {
            foreach (var layout in PatternLayouts.BuildAll(pattern, example.Context, layers, heads))
                sparsity.Add(layout);
        }
        return sparsity.Sparsity;
    }

    /// <summary>
    /// <paramref name="count"/> real lengths that stand for <paramref name="examples"/>' in Eq. 9, which weighs every
    /// example alike: the midpoint quantiles of their sorted lengths, (k + ½)/count for k = 0 … count − 1; every length,
    /// sorted, when there are no more examples than that.
    /// </summary>
    public static int[] LengthQuantiles(IEnumerable<EncodedExample> examples, int count)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int[] sorted = [.. examples.Select(e => e.Context.Length).Order()];
        if (sorted.Length == 0) throw new ArgumentException("the lengths of no examples have no quantiles.", nameof(examples));
        if (sorted.Length <= count) return sorted;
        return [.. Enumerable.Range(0, count).Select(k => sorted[(int)((k + 0.5) * sorted.Length / count)])];
    }
}
