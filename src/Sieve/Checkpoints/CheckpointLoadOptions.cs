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

    /// <summary>
    /// Fill a position table that is longer in the model than in the checkpoint by tiling the checkpoint's rows
    /// (<see cref="PositionTable.Tile"/>, Longformer §5) instead of refusing the shape. Default false: a model built
    /// with more positions than its checkpoint is otherwise a config mistake.
    /// </summary>
    public bool TilePositions { get; init; }

    /// <summary>Floating type of the built model; null builds float32 (HF's default), whatever the stored type.</summary>
    public ScalarType? DType { get; init; }

    /// <summary>Device of the built model; null is the CPU.</summary>
    public Device? Device { get; init; }
}
