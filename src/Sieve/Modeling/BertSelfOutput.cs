// Output projection of attention with residual and post-LayerNorm: HF BertSelfOutput.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertSelfOutput</c>; state-dict keys dense, LayerNorm.</summary>
public sealed class BertSelfOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear _dense;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _dropout;

    public BertSelfOutput(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfOutput))
    {
        ArgumentNullException.ThrowIfNull(config);
        _dense = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("dense", _dense);
        register_module("LayerNorm", _layerNorm);
        register_module("dropout", _dropout);
    }

    /// <summary>LayerNorm(dropout(dense(context)) + residual); both inputs and the result are [B, N, Hd].</summary>
    public override Tensor forward(Tensor context, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var x = _dropout.forward(WideLinear.Forward(_dense, context));   // [B, N, Hd]
        x = _layerNorm.forward(x.add(residual, Scalars.One));  // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
