// The masked-LM corruption of one batch (BERT §3.1; HF DataCollatorForLanguageModeling.torch_mask_tokens): each
// maskable token is chosen with probability p; a chosen token becomes [MASK] (80%), a random id (10%) or stays (10%);
// labels hold the original id at chosen positions and −100 elsewhere. Randomness comes from SplitMix64 seeded by
// (run seed, batch index), never from torch's global generator, so a resumed run masks exactly as a straight one.
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Training;

namespace Sieve.Pretraining;

/// <summary>Applies <see cref="MlmMaskingOptions"/> to token ids.</summary>
public static class MlmMasking
{
    // Keeps the masking stream apart from anything else seeded by BatchOrder.StepSeed (the trainer's dropout draws).
    private const ulong MaskingSalt = 0x4D4C_4D5F_4D41_534BUL;

    /// <summary>
    /// The generator for the micro-batch with run-wide index <paramref name="batch"/> (epoch × batches per epoch + position)
    /// of a run seeded with <paramref name="seed"/>: a pure function of the two.
    /// </summary>
    public static SeededRandom RandomFor(int seed, int batch) => new((ulong)BatchOrder.StepSeed(seed, batch) ^ MaskingSalt);

    /// <summary>
    /// The seed that masks the held-out lines of a run seeded with <paramref name="seed"/>: fixed for the whole run, so
    /// every evaluation scores the same corrupted inputs, and apart from the training batches' streams.
    /// </summary>
    public static int ValidationSeed(int seed) => (int)(BatchOrder.StepSeed(seed, int.MaxValue) & int.MaxValue);

    /// <summary>
    /// Corrupts <paramref name="inputIds"/> in place and writes <paramref name="labels"/>: the original id where a token
    /// was chosen, <see cref="BertForMaskedLM.IgnoreIndex"/> (−100) everywhere else. Only positions where
    /// <paramref name="maskable"/> is true can be chosen (the caller excludes [CLS], [SEP] and padding). Random
    /// replacements are uniform over [0, <paramref name="vocabularySize"/>). Returns how many tokens were chosen.
    /// </summary>
    public static int Apply(Span<long> inputIds, Span<long> labels, ReadOnlySpan<bool> maskable, MlmMaskingOptions options,
        int maskTokenId, int vocabularySize, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        if (labels.Length != inputIds.Length || maskable.Length != inputIds.Length)
            throw new ArgumentException($"the ids ({inputIds.Length}), labels ({labels.Length}) and maskable flags ({maskable.Length}) must have one entry per token.", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        if (maskTokenId < 0 || maskTokenId >= vocabularySize)
            throw new ArgumentOutOfRangeException(nameof(maskTokenId), maskTokenId, $"the [MASK] id must be a vocabulary id in [0, {vocabularySize}).");
        options.Validate();
        // HF draws "random" among the chosen tokens that did not become [MASK]: P(random | not masked).
        double randomGivenNotMasked = options.MaskShare >= 1 ? 0 : options.RandomShare / (1 - options.MaskShare);
        int chosen = 0;
        for (int t = 0; t < inputIds.Length; t++)
        {
            if (!maskable[t] || Uniform(random) >= options.Probability)
            {
                labels[t] = BertForMaskedLM.IgnoreIndex;
                continue;
            }
            chosen++;
            labels[t] = inputIds[t];
            if (Uniform(random) < options.MaskShare) inputIds[t] = maskTokenId;
            else if (Uniform(random) < randomGivenNotMasked) inputIds[t] = random.NextInt64(vocabularySize);
        }
        return chosen;
    }

    // A uniform double in [0, 1) from the top 53 bits.
    private static double Uniform(SeededRandom random) => (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
