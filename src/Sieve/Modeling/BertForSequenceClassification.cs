// BERT with a linear head on the pooled [CLS] vector: HF BertForSequenceClassification, classification or regression
// as HF decides from num_labels / problem_type / the labels' type; or, with classifier_pooling "mean", on the masked
// mean of the last hidden state (sentence-transformers' pooling), without a pooler.
using Sieve.Patterns;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// HF <c>BertForSequenceClassification</c>; state-dict keys bert.*, classifier.* (no bert.pooler.* with
/// <see cref="ClassifierPooling.Mean"/>).
/// </summary>
public sealed class BertForSequenceClassification : nn.Module
{
    private readonly BertModel _bert;
    private readonly Dropout _dropout;
    private readonly Linear _classifier;

    /// <summary>Builds the model with HF's initialisation (seed torch first); load weights to use a checkpoint.</summary>
    public BertForSequenceClassification(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertForSequenceClassification))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        // A mean head never reads the pooler: without one, its weights are neither trained, saved nor reported as
        // newly initialised, and a checkpoint that lacks them (snowflake-arctic-embed) loads as it is.
        _bert = new BertModel(config, addPoolingLayer: config.ClassifierPooling == ClassifierPooling.Cls, device, dtype);
        _dropout = nn.Dropout(config.ClassifierDropout ?? config.HiddenDropoutProb);
        _classifier = nn.Linear(config.HiddenSize, config.NumLabels, device: device, dtype: dtype);
        register_module("bert", _bert);
        register_module("dropout", _dropout);
        register_module("classifier", _classifier);
        BertFunctions.InitializeWeights(this, config);
    }

    public BertConfig Config { get; }

    public BertModel Bert => _bert;

    /// <summary>What the classifier reads, from <see cref="BertConfig.ClassifierPooling"/>.</summary>
    public ClassifierPooling Pooling => Config.ClassifierPooling;

    /// <summary>Logits [B, num_labels] for <paramref name="inputIds"/> [B, N] (see <see cref="BertModel.forward"/>).</summary>
    public Tensor forward(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        var output = Classify(inputIds, tokenTypeIds, attentionMask, patternInputs);
        output.Attention.LearnedSparsity?.Dispose();
        return output.Logits;
    }

    /// <summary>
    /// Logits [B, num_labels] for <paramref name="inputIds"/> [B, N] with what the layers attended with (layouts, ρ of a
    /// learnable pattern's training gates, AAA's selections), as <see cref="BertModel.forward"/> reports it.
    /// </summary>
    public HeadOutput Classify(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null,
        IReadOnlyList<PatternContext>? patternInputs = null)
    {
        using var scope = NewDisposeScope();
        var output = _bert.forward(inputIds, tokenTypeIds, attentionMask, patternInputs);
        var pooled = Pooling == ClassifierPooling.Mean
            ? SentenceEmbedding.MaskedMean(output.LastHiddenState, attentionMask ?? ones_like(inputIds))   // [B, Hd]
            : output.PoolerOutput!;                                                                         // [B, Hd]
        var logits = _classifier.forward(_dropout.forward(pooled));   // [B, L]
        if (output.Attention.LearnedSparsity is { } rho) scope.MoveToOuter(rho);
        return new HeadOutput(scope.MoveToOuter(logits), output.Attention);
    }

    /// <summary>
    /// HF's loss for <paramref name="logits"/> [B, L] and <paramref name="labels"/>: MSE for regression (labels [B] when
    /// L = 1, else [B, L]), cross-entropy for single-label (integer labels [B]), BCE-with-logits for multi-label
    /// (float labels [B, L]). The problem type comes from <see cref="BertConfig.ResolveProblemType"/>. In training mode
    /// the attention variants' regulariser (<see cref="BertModel.VariantLoss"/>: adaptive spans) is added, as the
    /// reference code adds it to the task loss; evaluation losses stay HF's.
    /// </summary>
    public Tensor Loss(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        var integers = !is_floating_point(labels);
        var loss = Config.ResolveProblemType(integers) switch
        {
            BertProblemType.Regression => Config.NumLabels == 1
                ? nn.functional.mse_loss(logits.squeeze(-1), labels.to_type(logits.dtype).reshape(-1))   // [] from [B], [B]
                : nn.functional.mse_loss(logits, labels.to_type(logits.dtype)),                          // [] from [B, L]
            BertProblemType.SingleLabelClassification =>
                nn.functional.cross_entropy(logits.view(-1, Config.NumLabels), labels.to_type(ScalarType.Int64).view(-1)),   // []
            _ => nn.functional.binary_cross_entropy_with_logits(logits, labels.to_type(logits.dtype)),   // []
        };
        if (training && _bert.VariantLoss() is { } regulariser) loss = loss.Plus(regulariser.to_type(loss.dtype));   // []
        return scope.MoveToOuter(loss);
    }

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
