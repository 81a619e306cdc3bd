// The stack of encoder layers: HF BertEncoder.
using Sieve.Variants;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertEncoder</c>; state-dict keys layer.0, layer.1, ...</summary>
public sealed class BertEncoder : nn.Module
{
    private readonly ModuleList<BertLayer> _layers;

    public BertEncoder(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        _layers = nn.ModuleList([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config, device, dtype))]);
        register_module("layer", _layers);
        if (config.Sieve?.Sublayers is { } sublayers)
        {
            var order = SublayerOrder.Parse(sublayers);
            if (order.Count != config.NumHiddenLayers)
                throw new ArgumentException($"the sublayer order {order} has {order.Count} attention and {order.Count} feed-forward sublayers but the model has {config.NumHiddenLayers} layers; use {config.NumHiddenLayers} of each.", nameof(config));
            Sublayers = order.IsInterleaved ? null : order;
        }
    }

    /// <summary>
    /// The sublayer order (Press et al. 2020), or null for HF's interleaved (sf)ⁿ. The parameters keep HF's names: the
    /// i-th 's' is <c>layer.i.attention</c>, the j-th 'f' is <c>layer.j.intermediate</c> and <c>layer.j.output</c>.
    /// </summary>
    public SublayerOrder? Sublayers { get; }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<BertLayer> Layers => [.. _layers];

    /// <summary>
    /// Runs every layer on <paramref name="hidden"/> [B, N, Hd], layer l attending as <paramref name="attention"/>[l] says
    /// (a plan given by hand, e.g. a dense mask for a test; a model builds its <see cref="AttentionPlan"/>); returns [B, N, Hd].
    /// </summary>
    public Tensor forward(Tensor hidden, IReadOnlyList<LayerPlan> attention)
    {
        ArgumentNullException.ThrowIfNull(attention);
        if (attention.Count != _layers.Count)
            throw new ArgumentException($"the encoder has {_layers.Count} layers but got attention for {attention.Count}.", nameof(attention));
        return forward(hidden, (layer, _) => attention[layer]);
    }

    /// <summary>Runs every layer on <paramref name="hidden"/> [B, N, Hd] attending as the batch's <paramref name="plan"/> says; returns [B, N, Hd].</summary>
    public Tensor forward(Tensor hidden, AttentionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return forward(hidden, plan.For);
    }

    /// <summary>
    /// As <see cref="forward(Tensor, AttentionPlan)"/>, but <paramref name="hidden"/> is handed over: it is disposed as
    /// soon as the first sublayer's output exists. The model passes its embeddings this way, which nothing reads after
    /// the first layer; kept to the end, they would sit under every later layer's peak (12 MiB for BERT-base at 4,096).
    /// </summary>
    internal Tensor Consume(Tensor hidden, AttentionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return forward(hidden, plan.For, ownsInput: true);
    }

    /// <summary>
    /// Runs every layer on <paramref name="hidden"/> [B, N, Hd]; <paramref name="attentionFor"/>(l, input of layer l)
    /// says how layer l attends, so that input-dependent patterns (AAA) can look at the layer's input. Returns [B, N, Hd].
    /// </summary>
    private Tensor forward(Tensor hidden, Func<int, Tensor, LayerPlan> attentionFor, bool ownsInput = false)
    {
        var callers = ownsInput ? null : hidden;
        using var scope = NewDisposeScope();
        var x = hidden;                                 // [B, N, Hd]
        if (Sublayers is { } order)
        {
            int s = 0, f = 0;
            foreach (char sublayer in order.Sublayers)
            {
                var next = sublayer == 's'
                    ? _layers[s].Attend(x, attentionFor(s++, x))   // [B, N, Hd]
                    : _layers[f++].FeedForward(x);                 // [B, N, Hd]
                x = Replace(x, next, callers);
            }
            return scope.MoveToOuter(x);
        }
        for (int l = 0; l < _layers.Count; l++) x = Replace(x, _layers[l].forward(x, attentionFor(l, x)), callers);   // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // A sublayer's input is not needed once its output exists (autograd holds its own reference to what backward
    // needs), so dropping it here makes inference at long N hold one or two [B, N, Hd] tensors instead of one per
    // sublayer (12 × 12 MiB for BERT-base at N = 4,096). The caller's tensor is the caller's to free (null: none is).
    private static Tensor Replace(Tensor previous, Tensor next, Tensor? callers)
    {
        if (!ReferenceEquals(previous, callers)) previous.Dispose();
        return next;
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
