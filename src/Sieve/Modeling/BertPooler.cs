// tanh(dense(first token)): HF BertPooler, the sentence vector the classifier reads.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertPooler</c>; state-dict key dense.</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    private readonly Linear _dense;

    public BertPooler(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertPooler))
    {
        ArgumentNullException.ThrowIfNull(config);
        _dense = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        register_module("dense", _dense);
    }

    /// <summary>[B, N, Hd] → [B, Hd] from the [CLS] position.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var first = hidden.select(1, 0);              // [B, Hd]
        var pooled = tanh(WideLinear.Forward(_dense, first));     // [B, Hd]
        return scope.MoveToOuter(pooled);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
