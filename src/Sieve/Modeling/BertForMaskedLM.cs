// BERT with the masked-language-model head, decoder tied to the word embeddings: HF BertForMaskedLM (no pooler).
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertForMaskedLM</c>; state-dict keys bert.* (no pooler), cls.predictions.*.</summary>
public sealed class BertForMaskedLM : nn.Module
{
    /// <summary>Label value whose positions the loss ignores (HF and PyTorch's default ignore_index).</summary>
    public const long IgnoreIndex = -100;

    private readonly BertModel _bert;
    private readonly BertOnlyMLMHead _cls;

    /// <summary>Builds the model with HF's initialisation (seed torch first); load weights to use a checkpoint.</summary>
    public BertForMaskedLM(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertForMaskedLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _bert = new BertModel(config, addPoolingLayer: false, device, dtype);
        _cls = new BertOnlyMLMHead(config, _bert.Embeddings.WordEmbeddings, device, dtype);
        register_module("bert", _bert);
        register_module("cls", _cls);
        BertFunctions.InitializeWeights(this, config);
    }

    public BertConfig Config { get; }

    public BertModel Bert => _bert;

    /// <summary>Vocabulary logits [B, N, V] for <paramref name="inputIds"/> [B, N] (see <see cref="BertModel.forward"/>).</summary>
    public Tensor forward(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        var output = Predict(inputIds, tokenTypeIds, attentionMask, patternInputs);
        output.Attention.LearnedSparsity?.Dispose();
        return output.Logits;
    }

    /// <summary>
    /// Vocabulary logits [B, N, V] for <paramref name="inputIds"/> [B, N] with the layouts the layers ran on, as
    /// <see cref="BertModel.forward"/> reports them.
    /// </summary>
    public HeadOutput Predict(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        using var scope = NewDisposeScope();
        var output = _bert.forward(inputIds, tokenTypeIds, attentionMask, patternInputs);
        var logits = _cls.forward(output.LastHiddenState);                                  // [B, N, V]
        if (output.Attention.LearnedSparsity is { } rho) scope.MoveToOuter(rho);
        return new HeadOutput(scope.MoveToOuter(logits), output.Attention);
    }

    /// <summary>
    /// Cross-entropy of <paramref name="logits"/> [B, N, V] against <paramref name="labels"/> [B, N], ignoring
    /// <see cref="IgnoreIndex"/>. In training mode the attention variants' regulariser (<see cref="BertModel.VariantLoss"/>:
    /// adaptive spans) is added, as in <see cref="BertForSequenceClassification.Loss"/>; evaluation losses stay HF's.
    /// </summary>
    public Tensor Loss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(logits.view(-1, Config.VocabSize), labels.view(-1), ignore_index: IgnoreIndex);   // []
        if (training && _bert.VariantLoss() is { } regulariser) loss = loss.Plus(regulariser.to_type(loss.dtype));              // []
        return scope.MoveToOuter(loss);
    }

    /// <summary>
    /// The training loss of <see cref="Loss"/> with the head run on the chosen positions only: [M, V] logits for the M
    /// labels that are not <see cref="IgnoreIndex"/> instead of [B, N, V]. Ignored positions add nothing to HF's mean
    /// cross-entropy nor to its gradients, so both are the same; but the decoder is V = 30,522 wide, the largest cost of
    /// an MLM step at GLUE lengths, and 15 % masking runs about a seventh of it. With no chosen token (possible in tiny
    /// batches) the loss is zero instead of HF's NaN, and it still reaches every parameter: zero gradients, not none.
    /// Returns the loss and the attention outcome of the batch, as <see cref="Predict"/>.
    /// </summary>
    public (Tensor Loss, AttentionOutcome Attention) MaskedLoss(Tensor inputIds, Tensor labels, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var output = _bert.forward(inputIds, tokenTypeIds, attentionMask, patternInputs);
        var hidden = output.LastHiddenState;                                                 // [B, N, Hd]
        var states = hidden.reshape(-1, hidden.shape[2]);                                    // [B·N, Hd]
        var flatLabels = labels.reshape(-1);                                                 // [B·N]
        var chosen = flatLabels.ne(Scalars.Of(IgnoreIndex)).nonzero().squeeze(-1);          // [M]
        var loss = chosen.shape[0] == 0
            ? _cls.forward(states.narrow(0, 0, 1)).sum().mul(Scalars.Zero)                   // []
            : nn.functional.cross_entropy(_cls.forward(states.index_select(0, chosen)), flatLabels.index_select(0, chosen));   // [M, V] → []
        if (training && _bert.VariantLoss() is { } regulariser) loss = loss.Plus(regulariser.to_type(loss.dtype));          // []
        if (output.Attention.LearnedSparsity is { } rho) scope.MoveToOuter(rho);
        return (scope.MoveToOuter(loss), output.Attention);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
