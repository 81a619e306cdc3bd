// Self-attention followed by its output block: HF BertAttention.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertAttention</c>; state-dict keys self, output.</summary>
public sealed class BertAttention : nn.Module
{
    private readonly BertSelfAttention _self;
    private readonly BertSelfOutput _output;

    public BertAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertAttention))
    {
        _self = new BertSelfAttention(config, device, dtype);
        _output = new BertSelfOutput(config, device, dtype);
        register_module("self", _self);
        register_module("output", _output);
    }

    /// <summary>The self-attention module, whose <see cref="BertSelfAttention.Attend"/> a kernel replaces.</summary>
    public BertSelfAttention Self => _self;

    /// <summary>Attention block on <paramref name="hidden"/> [B, N, Hd]; returns [B, N, Hd].</summary>
    public Tensor forward(Tensor hidden, LayerPlan attention)
    {
        using var scope = NewDisposeScope();
        var context = _self.forward(hidden, attention);  // [B, N, Hd]
        var x = _output.forward(context, hidden);       // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
