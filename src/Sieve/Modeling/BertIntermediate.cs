// First half of the feed-forward block, dense then activation: HF BertIntermediate.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertIntermediate</c>; state-dict key dense.</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly Linear _dense;
    private readonly BertActivation _activation;

    public BertIntermediate(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertIntermediate))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.Activation;
        _dense = nn.Linear(config.HiddenSize, config.IntermediateSize, device: device, dtype: dtype);
        register_module("dense", _dense);
    }

    /// <summary>act(dense(x)): [B, N, Hd] → [B, N, I].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = BertFunctions.Activate(WideLinear.Forward(_dense, hidden), _activation);   // [B, N, I]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
