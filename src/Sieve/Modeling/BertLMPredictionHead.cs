// The MLM output layer: transform, then a decoder tied to the word embeddings plus a per-token bias — HF
// BertLMPredictionHead. The decoder is the embedding matrix itself (not a copy), so HF's tied keys
// cls.predictions.decoder.weight / .bias are aliases of bert.embeddings.word_embeddings.weight / cls.predictions.bias.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertLMPredictionHead</c>; state-dict keys transform.*, bias (the decoder weight is the word embeddings).</summary>
public sealed class BertLMPredictionHead : nn.Module<Tensor, Tensor>
{
    private readonly BertPredictionHeadTransform _transform;
    private readonly Embedding _decoder;
    private readonly Parameter _bias;

    public BertLMPredictionHead(BertConfig config, Embedding wordEmbeddings, Device? device = null, ScalarType? dtype = null) : base(nameof(BertLMPredictionHead))
    {
        ArgumentNullException.ThrowIfNull(config);
        _decoder = wordEmbeddings ?? throw new ArgumentNullException(nameof(wordEmbeddings));
        _transform = new BertPredictionHeadTransform(config, device, dtype);
        _bias = nn.Parameter(zeros(config.VocabSize, dtype: dtype, device: device));   // [V]
        register_module("transform", _transform);
        register_parameter("bias", _bias);
    }

    /// <summary>Vocabulary logits: [B, N, Hd] → [B, N, V].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var x = _transform.forward(hidden);                                        // [B, N, Hd]
        // Read the weight through the embedding module each call: after .to(dtype/device) it is the moved tensor.
        var logits = WideLinear.Forward(x, _decoder.weight!, _bias);               // [B, N, V]
        return scope.MoveToOuter(logits);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
