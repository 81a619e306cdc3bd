// The trainer's masked-LM data: lines shuffled per epoch (BatchOrder), collated and masked per micro-batch with a
// generator seeded by (seed, run-wide batch index), so that the batches of a resumed run equal those of a straight one.
using Sieve.Training;

namespace Sieve.Pretraining;

/// <summary>Masked batches of <see cref="BatchSize"/> encoded lines.</summary>
public sealed class MlmBatchSource : IBatchSource<MlmBatch>
{
    private readonly IReadOnlyList<EncodedLine> _lines;
    private readonly ShuffledBatchSource<int[]> _order;
    private readonly int _padId;
    private readonly int _maskTokenId;
    private readonly int _vocabularySize;
    private readonly MlmMaskingOptions _masking;

    /// <summary>
    /// Batches over <paramref name="lines"/>; ids, [MASK] and the vocabulary come from the encoder that made them.
    /// <paramref name="shuffle"/> false keeps line order (evaluation).
    /// </summary>
    public MlmBatchSource(IReadOnlyList<EncodedLine> lines, int batchSize, int padId, int maskTokenId, int vocabularySize,
        MlmMaskingOptions masking, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(masking);
        masking.Validate();
        _lines = lines;
        _order = new ShuffledBatchSource<int[]>(lines.Count, batchSize, indices => indices, shuffle);
        _padId = padId;
        _maskTokenId = maskTokenId;
        _vocabularySize = vocabularySize;
        _masking = masking;
    }

    /// <summary>Lines per batch (the last batch of an epoch may hold fewer).</summary>
    public int BatchSize => _order.BatchSize;

    /// <inheritdoc/>
    public int BatchesPerEpoch => _order.BatchesPerEpoch;

    /// <inheritdoc/>
    public IEnumerable<MlmBatch> Batches(int epoch, int seed, int skip)
    {
        int index = skip;
        foreach (var indices in _order.Batches(epoch, seed, skip))
        {
            var random = MlmMasking.RandomFor(seed, checked((epoch * BatchesPerEpoch) + index));
            index++;
            yield return MlmBatch.Collate([.. indices.Select(i => _lines[i])], _padId, _maskTokenId, _vocabularySize, _masking, random);
        }
    }
}
