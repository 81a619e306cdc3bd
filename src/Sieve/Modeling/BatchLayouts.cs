// The layouts of one batch for every layer (DESIGN.md §1): built once per batch, and shared by the layers (and heads)
// whose resolved pattern is the same — unless the pattern is random, whose sample differs per layer and head.
using Sieve.Kernels;
using Sieve.Patterns;

namespace Sieve.Modeling;

/// <summary>
/// The <see cref="AttentionLayout"/> each layer uses for one batch, and their sparsity on real lengths (AAA Eq. 9).
/// Layers whose patterns resolve to the same spec at every head share one layout object; within a layer, heads share
/// one layout unless their resolved patterns differ or the pattern is random.
/// </summary>
public sealed class BatchLayouts
{
    private readonly AttentionLayout[] _layers;
    private readonly string[] _specs;

    private BatchLayouts(AttentionLayout[] layers, string[] specs, int distinct, int heads)
    {
        _layers = layers;
        _specs = specs;
        DistinctLayouts = distinct;
        Heads = heads;
    }

    /// <summary>The number of heads of every layer.</summary>
    public int Heads { get; }

    /// <summary>The number of layers.</summary>
    public int Layers => _layers.Length;

    /// <summary>How many distinct layouts were built for the batch (a measure of the sharing).</summary>
    public int DistinctLayouts { get; }

    /// <summary>The layout layer <paramref name="layer"/> runs on.</summary>
    public AttentionLayout this[int layer] => _layers[layer];

    /// <summary>The pattern layer <paramref name="layer"/> uses, as a spec (heads joined by " | " when they differ).</summary>
    public string PatternAt(int layer) => _specs[layer];

    /// <summary>
    /// Builds the layouts of <paramref name="pattern"/> for <paramref name="examples"/> (one context per example, with
    /// its real length, padded length, example index and any token-level inputs) across <paramref name="layers"/>
    /// layers of <paramref name="heads"/> heads. Every map is bound with the example's context plus its layer, head
    /// and <paramref name="seed"/>, so the result does not depend on the sharing or the thread count.
    /// </summary>
    public static BatchLayouts Build(Pattern pattern, IReadOnlyList<PatternContext> examples, int layers, int heads,
        ulong seed = 0, EmptyRowPolicy emptyRows = EmptyRowPolicy.AddDiagonal)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (examples.Count == 0) throw new ArgumentException("a batch needs at least one example.", nameof(examples));
        var built = new Dictionary<string, AttentionLayout>(StringComparer.Ordinal);
        var result = new AttentionLayout[layers];
        var specs = new string[layers];
        for (int layer = 0; layer < layers; layer++)
        {
            var perHead = Enumerable.Range(0, heads).Select(h => pattern.ForLayerHead(layer, h)).ToArray();
            bool random = perHead.Any(p => p.IsRandom);
            bool headsDiffer = random || perHead.Any(p => !p.Equals(perHead[0]));
            specs[layer] = headsDiffer ? string.Join(" | ", perHead.Select(p => p.ToString())) : perHead[0].ToString();
            // A random pattern's sample depends on the layer, so its key names the layer and nothing else shares it.
            string key = random ? $"{layer}#{specs[layer]}" : specs[layer];
            if (!built.TryGetValue(key, out var layout))
                built[key] = layout = BuildLayer(perHead, headsDiffer, examples, layer, seed, emptyRows);
            result[layer] = layout;
        }
        return new BatchLayouts(result, specs, built.Count, heads);
    }

    /// <summary>
    /// Wraps layouts built elsewhere, one per layer (e.g. an input-dependent learned pattern hardened layer by layer),
    /// with the spec each layer ran (for reports). Nothing is shared or rebuilt.
    /// </summary>
    public static BatchLayouts Of(IReadOnlyList<AttentionLayout> layers, IReadOnlyList<string> specs, int heads)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (layers.Count == 0 || layers.Count != specs.Count)
            throw new ArgumentException($"give one spec per layer and at least one layer; got {layers.Count} layouts and {specs.Count} specs.", nameof(specs));
        return new BatchLayouts([.. layers], [.. specs], layers.Distinct().Count(), heads);
    }

    /// <summary>AAA Eq. 9 of one layer: the mean over examples and heads of 1 − |B|/N_i² on real lengths.</summary>
    public double LayerSparsity(int layer) => Accumulate(_layers[layer], new SparsityAccumulator()).Sparsity;

    /// <summary>AAA Eq. 9 of the batch: the mean over examples, layers and heads.</summary>
    public double Sparsity
    {
        get
        {
            var accumulator = new SparsityAccumulator();
            AddTo(accumulator);
            return accumulator.Sparsity;
        }
    }

    /// <summary>Adds every map of every layer (per example and head) to <paramref name="accumulator"/>, for a running ρ.</summary>
    public void AddTo(SparsityAccumulator accumulator)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        foreach (var layout in _layers) Accumulate(layout, accumulator);
    }

    private static AttentionLayout BuildLayer(Pattern[] perHead, bool headsDiffer, IReadOnlyList<PatternContext> examples,
        int layer, ulong seed, EmptyRowPolicy emptyRows)
    {
        int distinct = headsDiffer ? perHead.Length : 1;
        var maps = PatternLayouts.BuildParallel(examples.Count * distinct, index =>
        {
            int example = index / distinct, head = index % distinct;
            var context = examples[example] with { Layer = layer, Head = head, Seed = seed };
            return CsrLayout.Build(perHead[head], context, emptyRows);
        });
        return new AttentionLayout(maps, examples.Count, distinct);
    }

    // A map that heads share stands for each of them, so Eq. 9 weighs every (example, layer, head) alike.
    private SparsityAccumulator Accumulate(AttentionLayout layout, SparsityAccumulator accumulator)
    {
        int copies = layout.Heads == 1 ? Heads : 1;
        for (int example = 0; example < layout.Batch; example++)
        {
            for (int head = 0; head < layout.Heads; head++)
            {
                var map = layout[example, head];
                if (map.Length == 0) continue;
                for (int copy = 0; copy < copies; copy++) accumulator.Add(map);
            }
        }
        return accumulator;
    }
}
