// One Transformer encoder layer, attention then feed-forward, each post-LayerNorm: HF BertLayer.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertLayer</c>; state-dict keys attention, intermediate, output.</summary>
public sealed class BertLayer : nn.Module
{
    private readonly BertAttention _attention;
    private readonly BertIntermediate _intermediate;
    private readonly BertOutput _output;

    public BertLayer(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertLayer))
    {
        _attention = new BertAttention(config, device, dtype);
        _intermediate = new BertIntermediate(config, device, dtype);
        _output = new BertOutput(config, device, dtype);
        register_module("attention", _attention);
        register_module("intermediate", _intermediate);
        register_module("output", _output);
    }

    /// <summary>The attention block (its <see cref="BertAttention.Self"/> holds the kernel seam).</summary>
    public BertAttention Attention => _attention;

    /// <summary>Encodes <paramref name="hidden"/> [B, N, Hd] attending as <paramref name="attention"/> says; returns [B, N, Hd].</summary>
    public Tensor forward(Tensor hidden, LayerPlan attention)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.forward(hidden, attention);                     // [B, N, Hd]
        var x = _output.forward(_intermediate.forward(attended), attended);       // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    /// <summary>The attention sublayer alone (an 's' of a sublayer order): [B, N, Hd] → [B, N, Hd].</summary>
    public Tensor Attend(Tensor hidden, LayerPlan attention) => _attention.forward(hidden, attention);

    /// <summary>The feed-forward sublayer alone (an 'f' of a sublayer order): [B, N, Hd] → [B, N, Hd].</summary>
    public Tensor FeedForward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = _output.forward(_intermediate.forward(hidden), hidden);          // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
