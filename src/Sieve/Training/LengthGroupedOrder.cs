// Batches of similar length, as HF's group_by_length does (LengthGroupedSampler): the epoch's shuffled order is cut into
// mega-batches of MegaBatches × batch size examples, each mega-batch is sorted by length (longest first), cut into
// batches, and the batches are shuffled. A batch is padded to its longest example, so on SST-2 (phrases of 3 to 60
// tokens) grouping cuts the padded tokens several-fold, while the mega-batches keep the order random across the epoch.
namespace Sieve.Training;

/// <summary>The per-epoch batch order of a length-grouped batch source.</summary>
public static class LengthGroupedOrder
{
    /// <summary>Batches per mega-batch (HF's LengthGroupedSampler uses 50).</summary>
    public const int MegaBatches = 50;

    /// <summary>
    /// The batches of one epoch: <paramref name="order"/> (a permutation of the example indices) grouped into batches of
    /// <paramref name="batchSize"/> by <paramref name="lengths"/> within each mega-batch, then put in a shuffled order
    /// that depends only on (<paramref name="seed"/>, <paramref name="epoch"/>). The one smaller batch (the end of the last
    /// mega-batch) is kept unless <paramref name="dropLast"/>.
    /// </summary>
    public static int[][] Batches(int[] order, IReadOnlyList<int> lengths, int batchSize, int seed, int epoch, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batches = new List<int[]>();
        int megaBatch = batchSize * MegaBatches;
        for (int start = 0; start < order.Length; start += megaBatch)
        {
            // Longest first within a mega-batch; ties keep the shuffled order, so the grouping stays deterministic.
            var sorted = order[start..Math.Min(order.Length, start + megaBatch)]
                .Select((example, position) => (example, position))
                .OrderByDescending(e => lengths[e.example]).ThenBy(e => e.position)
                .Select(e => e.example).ToArray();
            for (int b = 0; b < sorted.Length; b += batchSize)
            {
                if (!dropLast || b + batchSize <= sorted.Length) batches.Add(sorted[b..Math.Min(sorted.Length, b + batchSize)]);
            }
        }
        // A second permutation, salted so that it is not the example permutation of the same (seed, epoch).
        var shuffled = BatchOrder.Permutation(batches.Count, seed ^ 0x6B1D, epoch);
        return [.. shuffled.Select(i => batches[i])];
    }
}
