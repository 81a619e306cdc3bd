// What one kernel needs beyond its inputs, in resident bytes: for inference (a forward under no_grad) and for training
// (a forward and its backward, the gradients of q, k, v included).
namespace Sieve.Kernels;

/// <summary>Peak extra bytes of a forward alone and of a forward+backward; null where /proc cannot say.</summary>
public sealed record PeakExtraBytes(long? Forward, long? TrainStep);
