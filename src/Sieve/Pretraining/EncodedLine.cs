// One line of a pre-training corpus as model input: [CLS] line [SEP] without padding, and the pattern context of its
// tokens (word ids, special positions), so word-level and random patterns see the same input they would in fine-tuning.
using Sieve.Patterns;

namespace Sieve.Pretraining;

/// <summary>An encoded line; padding and masking are added per batch.</summary>
/// <param name="InputIds">Token ids, [CLS] first and [SEP] last.</param>
/// <param name="Context">What patterns may look at: real length, line index, word ids, special tokens, segments.</param>
public sealed record EncodedLine(int[] InputIds, PatternContext Context);
