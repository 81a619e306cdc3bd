// Word + position + token-type embeddings, LayerNorm, dropout: HF BertEmbeddings (absolute positions).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertEmbeddings</c>; state-dict keys word_embeddings, position_embeddings, token_type_embeddings, LayerNorm.</summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding _wordEmbeddings;
    private readonly Embedding _positionEmbeddings;
    private readonly Embedding _tokenTypeEmbeddings;
    private readonly LayerNorm _layerNorm;
    private readonly Dropout _dropout;

    public BertEmbeddings(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEmbeddings))
    {
        ArgumentNullException.ThrowIfNull(config);
        _wordEmbeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId, device: device, dtype: dtype);
        _positionEmbeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize, device: device, dtype: dtype);
        _tokenTypeEmbeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize, device: device, dtype: dtype);
        _layerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps, device: device, dtype: dtype);
        _dropout = nn.Dropout(config.HiddenDropoutProb);
        register_module("word_embeddings", _wordEmbeddings);
        register_module("position_embeddings", _positionEmbeddings);
        register_module("token_type_embeddings", _tokenTypeEmbeddings);
        register_module("LayerNorm", _layerNorm);
        register_module("dropout", _dropout);
    }

    /// <summary>The word embedding matrix [V, Hd]; the MLM decoder is tied to it.</summary>
    public Embedding WordEmbeddings => _wordEmbeddings;

    /// <summary>Embeds <paramref name="inputIds"/> [B, N] with segment ids <paramref name="tokenTypeIds"/> [B, N]; returns [B, N, Hd].</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var n = inputIds.shape[1];
        var positions = arange(Scalars.Of(0), Scalars.Of(n), Scalars.Of(1), dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);   // [1, N]
        // The sum is built in place and each lookup freed once added: at long N the lookups and their sums are the
        // largest tensors of a forward (BERT-base at 4,096: six [B, N, Hd] of 12 MiB at once, above any layer's peak).
        // Autograd allows it: an embedding's backward needs only its indices, an addition neither of its operands.
        var x = _wordEmbeddings.forward(inputIds);                                                   // [B, N, Hd]
        using (var types = _tokenTypeEmbeddings.forward(tokenTypeIds)) x.add_(types, Scalars.One);   // [B, N, Hd]
        using (var places = _positionEmbeddings.forward(positions)) x.add_(places, Scalars.One);     // [1, N, Hd] broadcast
        using (var summed = x) x = _dropout.forward(_layerNorm.forward(summed));                     // [B, N, Hd]
        return scope.MoveToOuter(x);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
