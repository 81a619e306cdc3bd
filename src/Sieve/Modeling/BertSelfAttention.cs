// Multi-head self-attention projections and the attention itself: HF BertSelfAttention (eager path). How the layer
// attends for a batch is its LayerPlan's one call (DESIGN.md §1); Attend is HF's dense math, the plan's dense path.
using Sieve.Variants;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertSelfAttention</c>; state-dict keys query, key, value.</summary>
public sealed class BertSelfAttention : nn.Module
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Dropout _dropout;
    private readonly int _heads;
    private readonly int _headSize;

    public BertSelfAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _headSize = config.HeadSize;
        _query = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        _key = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        _value = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        _dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        register_module("query", _query);
        register_module("key", _key);
        register_module("value", _value);
        register_module("dropout", _dropout);
    }

    /// <summary>
    /// Self-attention of <paramref name="hidden"/> [B, N, Hd]; returns the context [B, N, Hd]. <paramref name="plan"/>
    /// says how: HF's dense path under an additive mask (broadcastable to [B, H, N, N]: HF's extended padding mask
    /// [B, 1, 1, N]), a kernel over the batch's layout for this layer, or this layer's <see cref="Variant"/>.
    /// </summary>
    public Tensor forward(Tensor hidden, LayerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var scope = NewDisposeScope();
        var context = Context(hidden, plan);                                // [B, H, N, D]
        var merged = context.transpose(1, 2).contiguous()                   // [B, N, H, D]
            .reshape(hidden.shape[0], hidden.shape[1], _heads * _headSize); // [B, N, Hd]
        return scope.MoveToOuter(merged);
    }

    // Projects q, k, v and attends. Their own scope frees the three projections as soon as the context exists, before it
    // is merged back to [B, N, Hd]: held to the end of forward, they would be the layer's peak at long N (BERT-base at
    // 4,096: 36 MiB beside the context and its merged copy). Autograd keeps what its backward needs by itself. q is
    // needed only by the attention, so the kernel may write the context over it: q is a view of its projection
    // [B, N, Hd], so the merge in forward is then no copy at all.
    private Tensor Context(Tensor hidden, LayerPlan plan)
    {
        using var scope = NewDisposeScope();
        var q = SplitHeads(WideLinear.Forward(_query, hidden));                         // [B, H, N, D]
        var k = SplitHeads(WideLinear.Forward(_key, hidden));                           // [B, H, N, D]
        var v = SplitHeads(WideLinear.Forward(_value, hidden));                         // [B, H, N, D]
        // The reference clamps the adaptive spans after every optimiser step; clamping before every use is the same for
        // every output computed and needs no hook in the trainer.
        if (Variant is AdaptiveSpanAttention adaptive && training) adaptive.ClampSpans();
        return scope.MoveToOuter(plan.Attend(this, q, k, v, hidden, queriesFree: true));   // [B, H, N, D]
    }

    /// <summary>
    /// softmax(q·kᵀ/√D + mask)·v with dropout on the probabilities, as HF computes it. q, k, v are [B, H, N, D]; the
    /// mask is additive and broadcastable to [B, H, N, N]. Returns [B, H, N, D]. This is the seam for sparse kernels.
    /// </summary>
    public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var scores = q.matmul(k.transpose(-1, -2)).DividedBy(Math.Sqrt(q.shape[^1]));                // [B, H, N, N]
        scores = scores.add(mask, Scalars.One);                           // [B, H, N, N]
        var probabilities = _dropout.forward(scores.softmax(-1));             // [B, H, N, N]
        var context = probabilities.matmul(v);                                // [B, H, N, D]
        return scope.MoveToOuter(context);
    }

    /// <summary>
    /// Another way to attend in place of softmax attention over a pattern (Linformer, Synthesizer, entmax, … — the
    /// survey's variants); its parameters live under <c>variant.*</c> in the state dict. Set once, after construction.
    /// </summary>
    public AttentionVariant? Variant
    {
        get;
        set
        {
            if (field is not null) throw new InvalidOperationException("this layer already has an attention variant; build a new model to change it.");
            if (value is not null) register_module("variant", value);
            field = value;
        }
    }

    /// <summary>Where the projections live: a variant added later is built there.</summary>
    internal (Device Device, ScalarType DType) Placement => (_query.weight!.device, _query.weight!.dtype);

    private Tensor SplitHeads(Tensor x) =>
        x.view(x.shape[0], x.shape[1], _heads, _headSize).transpose(1, 2);   // [B, N, Hd] → [B, H, N, D]

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
