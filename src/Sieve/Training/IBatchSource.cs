// The trainer's view of the training data: the batches of one epoch in an order that is a pure function of
// (seed, epoch), so that a resumed run can start at the exact batch where the checkpoint was written.
namespace Sieve.Training;

/// <summary>Deterministic batches for the trainer; fine-tuning and MLM pre-training data both implement it.</summary>
/// <typeparam name="TBatch">What one micro-batch is; disposed by the trainer after use when it is <see cref="IDisposable"/>.</typeparam>
public interface IBatchSource<out TBatch>
{
    /// <summary>The number of batches every epoch yields (the same for every epoch and seed).</summary>
    int BatchesPerEpoch { get; }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> from position <paramref name="skip"/> on. The order must depend only
    /// on (<paramref name="seed"/>, <paramref name="epoch"/>): the same arguments give the same batches in every process.
    /// </summary>
    IEnumerable<TBatch> Batches(int epoch, int seed, int skip);
}
