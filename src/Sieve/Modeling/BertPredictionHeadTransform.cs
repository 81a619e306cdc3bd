// dense → activation → LayerNorm before the MLM decoder: HF BertPredictionHeadTransform.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertPredictionHeadTransform</c>; state-dict keys dense, LayerNorm.</summary>
public sealed class BertPredictionHeadTransform : nn.Module<Tensor, Tensor>
{
    private readonly Linear _dense;
    private readonly LayerNorm _layerNorm;
    private readonly BertActivation _activation;

    public BertPredictionHeadTransform(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertPredictionHeadTransform))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.Activation;
        _dense = nn.Linear(config.HiddenSize, config.HiddenSize, device: device, dtype: dtype);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        register_module("dense", _dense);
        register_module("LayerNorm", _layerNorm);
    }

    /// <summary>[B, N, Hd] → [B, N, Hd].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = BertFunctions.Activate(WideLinear.Forward(_dense, hidden), _activation);   // [B, N, Hd]
        x = _layerNorm.forward(x);                                             // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
