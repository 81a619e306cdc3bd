// The "cls" wrapper around the MLM prediction head: HF BertOnlyMLMHead.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertOnlyMLMHead</c>; state-dict key predictions.</summary>
public sealed class BertOnlyMLMHead : nn.Module<Tensor, Tensor>
{
    private readonly BertLMPredictionHead _predictions;

    public BertOnlyMLMHead(BertConfig config, Embedding wordEmbeddings, Device? device = null, ScalarType? dtype = null) : base(nameof(BertOnlyMLMHead))
    {
        _predictions = new BertLMPredictionHead(config, wordEmbeddings, device, dtype);
        register_module("predictions", _predictions);
    }

    /// <summary>[B, N, Hd] → [B, N, V].</summary>
    public override Tensor forward(Tensor hidden) => _predictions.forward(hidden);

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
