// One task example as model input: token ids and segments without padding, the pattern context of its tokens, and
// its target (a class index, or a score for regression).
using Sieve.Patterns;

namespace Sieve.FineTuning;

/// <summary>An encoded example; padding is added per batch, up to the batch's longest example.</summary>
/// <param name="InputIds">Token ids, [CLS] first.</param>
/// <param name="TokenTypeIds">Segment of every token (0, or 1 for the second text of a pair).</param>
/// <param name="Context">What patterns may look at: real length, data-set index, word ids, special tokens, segments.</param>
/// <param name="Target">The class index, or the score of a regression task; NaN when the example has no label.</param>
public sealed record EncodedExample(int[] InputIds, int[] TokenTypeIds, PatternContext Context, double Target);
