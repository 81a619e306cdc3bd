// The stack of encoder layers: HF BertEncoder.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertEncoder</c>; state-dict keys layer.0, layer.1, ...</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> _layers;

    public BertEncoder(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        _layers = nn.ModuleList([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config, device, dtype))]);
        register_module("layer", _layers);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<BertLayer> Layers => [.. _layers];

    /// <summary>Runs every layer on <paramref name="hidden"/> [B, N, Hd] with the additive <paramref name="mask"/>; returns [B, N, Hd].</summary>
    public override Tensor forward(Tensor hidden, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var x = hidden;                                 // [B, N, Hd]
        foreach (var layer in _layers) x = layer.forward(x, mask);   // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
