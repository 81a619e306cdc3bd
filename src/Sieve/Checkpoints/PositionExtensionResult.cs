// What `sieve extend` did: where the model went, the table's old and new sizes, and how many tensors were written.
namespace Sieve.Checkpoints;

/// <summary>The outcome of <see cref="PositionExtension.Extend"/>.</summary>
/// <param name="Directory">The new model folder (full path).</param>
/// <param name="StoredPositions">The source model's max_position_embeddings.</param>
/// <param name="MaxPositions">The new max_position_embeddings.</param>
/// <param name="Tensors">Tensors written, the table included.</param>
public sealed record PositionExtensionResult(string Directory, int StoredPositions, int MaxPositions, int Tensors)
{
    /// <summary>How many copies of the learned rows the new table holds (the last one cut short when not a multiple).</summary>
    public double Copies => MaxPositions / (double)StoredPositions;
}
