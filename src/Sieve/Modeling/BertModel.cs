// The BERT encoder: embeddings, layers, optional pooler — HF BertModel (modeling_bert.py), post-LayerNorm, with the
// extended attention mask. Registered module names are HF's state-dict keys.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertModel</c>; state-dict keys embeddings.*, encoder.layer.{i}.*, pooler.* (when it has one).</summary>
public sealed class BertModel : nn.Module
{
    private readonly BertEmbeddings _embeddings;
    private readonly BertEncoder _encoder;
    private readonly BertPooler? _pooler;

    /// <summary>Builds the encoder; HF's BertForMaskedLM builds it without the pooler.</summary>
    public BertModel(BertConfig config, bool addPoolingLayer = true, Device? device = null, ScalarType? dtype = null) : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _embeddings = new BertEmbeddings(config, device, dtype);
        _encoder = new BertEncoder(config, device, dtype);
        register_module("embeddings", _embeddings);
        register_module("encoder", _encoder);
        if (addPoolingLayer)
        {
            _pooler = new BertPooler(config, device, dtype);
            register_module("pooler", _pooler);
        }
    }

    public BertConfig Config { get; }

    public BertEmbeddings Embeddings => _embeddings;

    public BertEncoder Encoder => _encoder;

    /// <summary>Whether the model has a pooler (and so a <see cref="BertModelOutput.PoolerOutput"/>).</summary>
    public bool HasPooler => _pooler is not null;

    /// <summary>
    /// Encodes <paramref name="inputIds"/> [B, N]. <paramref name="tokenTypeIds"/> [B, N] defaults to zeros,
    /// <paramref name="attentionMask"/> [B, N] (1 = token, 0 = padding) to all ones.
    /// </summary>
    public BertModelOutput forward(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        tokenTypeIds ??= zeros_like(inputIds);                                     // [B, N]
        attentionMask ??= ones_like(inputIds);                                     // [B, N]
        var embedded = _embeddings.forward(inputIds, tokenTypeIds);                // [B, N, Hd]
        var mask = BertFunctions.ExtendedAttentionMask(attentionMask, embedded.dtype);   // [B, 1, 1, N]
        var hidden = _encoder.forward(embedded, mask);                             // [B, N, Hd]
        var pooled = _pooler?.forward(hidden);                                     // [B, Hd]
        scope.MoveToOuter(hidden);
        if (pooled is not null) scope.MoveToOuter(pooled);
        return new BertModelOutput(hidden, pooled);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
