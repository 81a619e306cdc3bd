// What one kernel (or one whole model) needs beyond its inputs, in resident bytes: for inference (a forward under
// no_grad, first on a new layout, then again) and for training (a forward and its backward, the gradients included).
namespace Sieve.Benchmarking;

/// <summary>
/// Peak extra bytes of a first forward on a layout, of a repeated forward on it, and of a forward+backward; null where
/// /proc cannot say.
/// </summary>
public sealed record PeakExtraBytes(long? Forward, long? RepeatForward, long? TrainStep)
{
    /// <summary>Nothing measured: no /proc.</summary>
    public static PeakExtraBytes Unknown { get; } = new(null, null, null);

    /// <summary>
    /// Measures <paramref name="forward"/> twice and then <paramref name="trainStep"/> once, each from a new high-water
    /// mark: before each, the GC runs and the C heap's free pages go back to the system, so memory a call reuses from
    /// earlier calls counts as its own. Whatever the caller set up before is the baseline, so set up (inputs, weights,
    /// warm-up) first, in a fresh process (the mark only rises unless /proc/self/clear_refs can reset it). Without a reset
    /// only the train step has a reading: its extra over the setup's own peak (a lower bound).
    /// </summary>
    public static PeakExtraBytes Measure(Action forward, Action trainStep)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(trainStep);
        if (PeakMemory.HighWaterMark() is null) return Unknown;
        long? baseline = ResetAfterCollecting(out bool resets);
        if (resets) return new PeakExtraBytes(Of(forward), Of(forward), Of(trainStep));
        forward();
        trainStep();
        return new PeakExtraBytes(null, null, Extra(baseline, PeakMemory.HighWaterMark()));
    }

    /// <summary>
    /// The peak extra bytes of one call of <paramref name="run"/> above what was resident before it, from a new
    /// high-water mark after the GC and the C heap gave back what they held; null where the mark cannot be reset.
    /// </summary>
    public static long? Of(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        long? baseline = ResetAfterCollecting(out bool resets);
        run();
        return resets ? Extra(baseline, PeakMemory.HighWaterMark()) : null;
    }

    // Frees what the last call left to the GC and to the C heap, and starts a new high-water mark; returns the baseline.
    private static long? ResetAfterCollecting(out bool resets)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.TryReleaseFreeHeap();
        resets = PeakMemory.TryReset();
        return PeakMemory.HighWaterMark();
    }

    private static long? Extra(long? baseline, long? peak) => baseline is long b && peak is long p ? Math.Max(0, p - b) : null;
}
