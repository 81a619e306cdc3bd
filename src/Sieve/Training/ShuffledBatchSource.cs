// A batch source over an indexed collection: a fresh shuffle per epoch from BatchOrder, fixed-size batches, the
// collation left to the caller (tensors for a BERT batch, anything for a test).
namespace Sieve.Training;

/// <summary>Batches of <see cref="BatchSize"/> examples in a per-epoch shuffled (or fixed) order.</summary>
/// <typeparam name="TBatch">The collated batch.</typeparam>
public sealed class ShuffledBatchSource<TBatch> : IBatchSource<TBatch>
{
    private readonly Func<int[], TBatch> _collate;
    private readonly bool _dropLast;

    /// <summary>
    /// Batches over examples 0..<paramref name="count"/>−1; <paramref name="collate"/> turns example indices into a batch.
    /// The last, smaller batch is kept unless <paramref name="dropLast"/>.
    /// </summary>
    public ShuffledBatchSource(int count, int batchSize, Func<int[], TBatch> collate, bool shuffle = true, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(collate);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "there are no training examples; check the training file.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"the batch size must be at least 1, got {batchSize}.");
        if (dropLast && count < batchSize)
            throw new ArgumentException($"{count} examples make no full batch of {batchSize}; lower the batch size or keep the last batch.", nameof(dropLast));
        Count = count;
        BatchSize = batchSize;
        Shuffle = shuffle;
        _collate = collate;
        _dropLast = dropLast;
        BatchesPerEpoch = dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
    }

    /// <summary>The number of examples.</summary>
    public int Count { get; }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch is shuffled (otherwise examples come in index order).</summary>
    public bool Shuffle { get; }

    /// <inheritdoc/>
    public int BatchesPerEpoch { get; }

    /// <summary>
    /// The length of each example (e.g. its tokens), or null (default). When given, each epoch's batches group examples
    /// of similar length (<see cref="LengthGroupedOrder"/>, HF's group_by_length), so that padding to the longest of a
    /// batch pads little; the number of batches is unchanged.
    /// </summary>
    public IReadOnlyList<int>? GroupByLength
    {
        get;
        init
        {
            if (value is not null && value.Count != Count)
                throw new ArgumentException($"the lengths name {value.Count} examples, but the source has {Count}.", nameof(GroupByLength));
            field = value;
        }
    }

    /// <inheritdoc/>
    public IEnumerable<TBatch> Batches(int epoch, int seed, int skip)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        return Iterate(epoch, seed, skip);
    }

    private IEnumerable<TBatch> Iterate(int epoch, int seed, int skip)
    {
        var order = Shuffle ? BatchOrder.Permutation(Count, seed, epoch) : [.. Enumerable.Range(0, Count)];
        if (GroupByLength is { } lengths)
        {
            var grouped = LengthGroupedOrder.Batches(order, lengths, BatchSize, seed, epoch, _dropLast);
            for (var b = skip; b < BatchesPerEpoch; b++) yield return _collate(grouped[b]);
            yield break;
        }
        for (var b = skip; b < BatchesPerEpoch; b++)
        {
            var start = b * BatchSize;
            yield return _collate(order[start..Math.Min(Count, start + BatchSize)]);
        }
    }
}
