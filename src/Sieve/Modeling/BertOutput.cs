// Second half of the feed-forward block with residual and post-LayerNorm: HF BertOutput.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertOutput</c>; state-dict keys dense, LayerNorm.</summary>
public sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear _dense;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _dropout;

    public BertOutput(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertOutput))
    {
        ArgumentNullException.ThrowIfNull(config);
        _dense = nn.Linear(config.IntermediateSize, config.HiddenSize, device: device, dtype: dtype);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("dense", _dense);
        register_module("LayerNorm", _layerNorm);
        register_module("dropout", _dropout);
    }

    /// <summary>LayerNorm(dropout(dense(intermediate)) + residual): [B, N, I], [B, N, Hd] → [B, N, Hd].</summary>
    public override Tensor forward(Tensor intermediate, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var x = _dropout.forward(WideLinear.Forward(_dense, intermediate));   // [B, N, Hd]
        x = _layerNorm.forward(x.add(residual, Scalars.One));  // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
