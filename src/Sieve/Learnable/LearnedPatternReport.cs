// What a model's learnable pattern learned, per layer, read off the hardened pattern (learned diagonal, learned
// degrees) or off the evaluation batches (AAA, whose pattern depends on the input): for `sieve evaluate` and logs.
using Sieve.Modeling;

namespace Sieve.Learnable;

/// <summary>The learnable pattern's spec and one <see cref="LearnedLayerReport"/> per layer of the model.</summary>
public sealed record LearnedPatternReport(string Spec, IReadOnlyList<LearnedLayerReport> Layers)
{
    /// <summary>
    /// The report of <paramref name="model"/>'s learnable pattern, or null when it has none. An aaa(...) pattern's shares
    /// come from <paramref name="selections"/> (per layer, e.g. <see cref="AxisSelectionAccumulator.Shares"/> over a
    /// split); without them its layers carry no shares. The other families are read off their logits.
    /// </summary>
    public static LearnedPatternReport? Of(BertModel model, IReadOnlyList<AxisSelection>? selections = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Learned is not { } learned || model.LearnedSpec is not { } spec) return null;
        var layers = Enumerable.Range(0, model.Config.NumHiddenLayers);
        IEnumerable<LearnedLayerReport> rows = learned switch
        {
            AxisAttentionPattern => layers.Select(l => selections?.FirstOrDefault(s => s.Layer == l) is { } s
                ? new LearnedLayerReport(l, s.RowShare, s.ColumnShare, s.Tokens)
                : new LearnedLayerReport(l)),
            LearnedDiagonalPattern diagonal => OffsetsPerLayer(diagonal.LearnedOffsets(), layers),
            LearnedDegreePattern degree => DegreesPerLayer(degree.LearnedDegrees(), layers),
            _ => throw new NotSupportedException($"no report is defined for the learnable pattern {learned.GetType().Name}."),
        };
        return new LearnedPatternReport(spec.ToString(), [.. rows]);
    }

    // Offsets shared by every layer (Layer null) are listed under each layer, since each layer runs them.
    private static IEnumerable<LearnedLayerReport> OffsetsPerLayer(IReadOnlyList<LearnedOffsets> offsets, IEnumerable<int> layers) =>
        layers.Select(l => new LearnedLayerReport(l, Offsets: [.. offsets.Where(o => o.Layer is null || o.Layer == l).OrderBy(o => o.Head)]));

    private static IEnumerable<LearnedLayerReport> DegreesPerLayer(IReadOnlyList<LearnedDegrees> degrees, IEnumerable<int> layers) =>
        layers.Select(l => new LearnedLayerReport(l, Degrees: [.. degrees.Where(d => d.Layer == l).OrderBy(d => d.Head)]));
}
