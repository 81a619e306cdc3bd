// How strictly a checkpoint must match the model it is loaded into, and where the weights go.
using static TorchSharp.torch;

namespace Sieve.Checkpoints;

/// <summary>
/// Options of <see cref="BertCheckpoint"/> loading. By default any missing or unexpected key is an error, except a
/// task head the checkpoint lacks (newly initialised, reported) and heads or buffers the model lacks (ignored, reported).
/// </summary>
public sealed record CheckpointLoadOptions
{
    /// <summary>Accept encoder weights missing from the checkpoint (they keep their fresh initialisation). Default false.</summary>
    public bool AllowMissing { get; init; }

    /// <summary>Accept checkpoint tensors that match no parameter of the model (they are skipped). Default false.</summary>
    public bool AllowUnexpected { get; init; }

    /// <summary>Floating type of the built model; null builds float32 (HF's default), whatever the stored type.</summary>
    public ScalarType? DType { get; init; }

    /// <summary>Device of the built model; null is the CPU.</summary>
    public Device? Device { get; init; }
}
