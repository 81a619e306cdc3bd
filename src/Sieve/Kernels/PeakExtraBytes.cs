// What one kernel needs beyond its inputs, in resident bytes: for inference (a forward under no_grad, first on a new
// layout, then again on the same one) and for training (a forward and its backward, the gradients of q, k, v included).
namespace Sieve.Kernels;

/// <summary>
/// Peak extra bytes of a first forward on a layout, of a repeated forward on it, and of a forward+backward; null where
/// /proc cannot say.
/// </summary>
public sealed record PeakExtraBytes(long? Forward, long? RepeatForward, long? TrainStep);
