// HF's group_by_length batching: every example once per epoch, batches of similar length within each mega-batch, a
// batch order that is shuffled yet fixed by (seed, epoch), and the same number of batches as plain shuffling.
using Sieve.Training;

namespace Sieve.Tests.Training;

public sealed class LengthGroupedOrderTests
{
    // 1,000 examples of lengths 3..60 in a scattered order, as SST-2's phrases are.
    private static readonly int[] _lengths = [.. Enumerable.Range(0, 1000).Select(i => 3 + (i * 37 % 58))];

    [Fact]
    public void Every_example_comes_once_and_each_mega_batch_is_cut_by_length()
    {
        var order = BatchOrder.Permutation(_lengths.Length, seed: 5, epoch: 0);
        var batches = LengthGroupedOrder.Batches(order, _lengths, batchSize: 8, seed: 5, epoch: 0);

        Assert.Equal(Enumerable.Range(0, _lengths.Length), batches.SelectMany(b => b).Order());
        Assert.Equal(125, batches.Length);
        // Within a mega-batch of 400 examples, sorting leaves each batch a narrow band of lengths; unsorted batches of 8
        // drawn from 58 lengths span about 45 on average.
        double meanSpread = batches.Average(b => b.Max(i => _lengths[i]) - b.Min(i => _lengths[i]));
        Assert.True(meanSpread < 3, $"mean length spread {meanSpread} per batch");
        // The padded tokens of the epoch (batch × its longest) drop well below those of plain shuffled batches.
        long Padded(IEnumerable<int[]> source) => source.Sum(b => (long)b.Length * b.Max(i => _lengths[i]));
        Assert.True(Padded(batches) < 0.7 * Padded(order.Chunk(8)), $"{Padded(batches)} vs {Padded(order.Chunk(8))}");
    }

    [Fact]
    public void The_batch_order_is_shuffled_but_fixed_by_seed_and_epoch()
    {
        var order = BatchOrder.Permutation(_lengths.Length, seed: 5, epoch: 0);
        var first = LengthGroupedOrder.Batches(order, _lengths, 8, seed: 5, epoch: 0);

        Assert.Equal(first, LengthGroupedOrder.Batches(order, _lengths, 8, seed: 5, epoch: 0));
        Assert.NotEqual(first, LengthGroupedOrder.Batches(order, _lengths, 8, seed: 5, epoch: 1));
        // Not longest-first across the epoch: the first ten batches are not sorted by their longest example.
        var longest = first.Take(10).Select(b => b.Max(i => _lengths[i])).ToArray();
        Assert.NotEqual(longest.OrderDescending(), longest);
    }

    [Fact]
    public void A_grouped_source_has_as_many_batches_as_a_plain_one_and_drops_only_the_short_batch()
    {
        var plain = new ShuffledBatchSource<int[]>(1003, 8, indices => indices);
        var grouped = new ShuffledBatchSource<int[]>(1003, 8, indices => indices) { GroupByLength = [.. _lengths, 9, 9, 9] };
        var batches = grouped.Batches(0, 5, 0).ToArray();
        Assert.Equal(plain.BatchesPerEpoch, batches.Length);
        Assert.Equal(1003, batches.Sum(b => b.Length));

        var dropping = new ShuffledBatchSource<int[]>(1003, 8, indices => indices, dropLast: true) { GroupByLength = [.. _lengths, 9, 9, 9] };
        var kept = dropping.Batches(0, 5, 0).ToArray();
        Assert.Equal(125, kept.Length);
        Assert.All(kept, b => Assert.Equal(8, b.Length));
        // A resume skips into the same sequence.
        Assert.Equal(batches[7..], grouped.Batches(0, 5, 7).ToArray());
    }

    [Fact]
    public void Lengths_for_another_number_of_examples_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ShuffledBatchSource<int[]>(10, 2, indices => indices) { GroupByLength = [1, 2, 3] });
        Assert.Contains("3 examples", e.Message, StringComparison.Ordinal);
    }
}
