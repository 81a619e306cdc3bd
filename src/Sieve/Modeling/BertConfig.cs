// The BERT hyper-parameters as Hugging Face's BertConfig writes them to config.json (transformers
// models/bert/configuration_bert.py), read and written with System.Text.Json; unknown fields are kept for the round trip.
using System.Text.Json;
using System.Text.Json.Serialization;
using Sieve.Checkpoints;
using Sieve.Data;

namespace Sieve.Modeling;

/// <summary>
/// BERT configuration. Defaults are bert-base-uncased's. <see cref="NumLabels"/> follows HF: the size of
/// <see cref="Id2Label"/> when present, else <c>num_labels</c>, else 2. Build with <see cref="Load"/> or
/// <see cref="FromJson"/>, which also <see cref="Validate"/>.
/// </summary>
public sealed record BertConfig
{
    private static readonly JsonSerializerOptions _jsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;

    /// <summary>"gelu" (exact, erf), "gelu_new" / "gelu_pytorch_tanh" (tanh approximation) or "relu".</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>Only "absolute" is implemented (HF's default); others are refused by <see cref="Validate"/>.</summary>
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";

    /// <summary>Dropout before the classifier; HF uses <see cref="HiddenDropoutProb"/> when null.</summary>
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }

    /// <summary>
    /// What the classifier reads (Sieve's own field; HF ignores it): the pooler's [CLS] vector (default, not written, so
    /// HF folders round-trip unchanged) or the masked mean of the last hidden state ("mean"; the model then has no pooler).
    /// </summary>
    [JsonPropertyName("classifier_pooling")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ClassifierPooling ClassifierPooling { get; init; }

    [JsonPropertyName("num_labels")] public int NumLabels { get; init; } = 2;
    [JsonPropertyName("id2label")] public IReadOnlyDictionary<string, string>? Id2Label { get; init; }
    [JsonPropertyName("label2id")] public IReadOnlyDictionary<string, int>? Label2Id { get; init; }

    /// <summary>"regression", "single_label_classification", "multi_label_classification", or null to let the labels decide (HF).</summary>
    [JsonPropertyName("problem_type")] public string? ProblemType { get; init; }

    /// <summary>Sieve's own settings (the attention pattern); HF ignores the field.</summary>
    [JsonPropertyName("sieve")] public BertSieveSettings? Sieve { get; init; }

    /// <summary>Fields Sieve does not use (torch_dtype, transformers_version, ...), kept so that a save writes them back.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>
    /// The most parameters a config may describe: 4 billion (16 GB in float32), over ten times bert-large (340 M).
    /// A config past it is refused before a tensor is allocated, rather than failing in libtorch after minutes.
    /// </summary>
    public const long MaxParameters = 4_000_000_000;

    /// <summary>The most layers a config may have (bert-large has 24): a million tiny layers stay under <see cref="MaxParameters"/> but take hours to build.</summary>
    public const int MaxLayers = 1024;

    /// <summary>Size of one head, <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    [JsonIgnore] public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>Reads an HF <c>config.json</c>.</summary>
    public static BertConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: no such config file.");
        if (RegularFile.Problem(path, "the config.json") is { } problem) throw new CheckpointException(problem);
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new CheckpointException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses config.json text, resolves the label count as HF does, and validates.</summary>
    public static BertConfig FromJson(string json)
    {
        var config = JsonSerializer.Deserialize<BertConfig>(json, _jsonOptions) ?? throw new JsonException("config.json is 'null'.");
        if (config.Id2Label is { } id2Label) config = config with { NumLabels = id2Label.Count };
        config.Validate();
        return config;
    }

    /// <summary>The config as HF-readable JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, _jsonOptions);

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when a value is out of range.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value <= 0) throw new ArgumentException($"{name} must be positive, got {value}.");
        }
        static void Probability(double value, string name)
        {
            if (!(value >= 0 && value < 1)) throw new ArgumentException($"{name} must be in [0, 1), got {value}.");
        }
        if (ModelType != "bert") throw new ArgumentException($"model_type is '{ModelType}'; Sieve's model is BERT ('bert').");
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(IntermediateSize, "intermediate_size");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        Positive(TypeVocabSize, "type_vocab_size");
        Positive(NumLabels, "num_labels");
        if (NumHiddenLayers > MaxLayers) throw new ArgumentException($"num_hidden_layers {NumHiddenLayers} is more than Sieve builds (at most {MaxLayers}).");
        if (ParameterCount > MaxParameters)
            throw new ArgumentException($"this config describes about {ParameterCount:0.#e0} parameters (vocab_size {VocabSize}, max_position_embeddings {MaxPositionEmbeddings}, hidden_size {HiddenSize}, intermediate_size {IntermediateSize}, num_hidden_layers {NumHiddenLayers}), more than the {MaxParameters:0e0} Sieve allocates; check those sizes.");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}.");
        Probability(HiddenDropoutProb, "hidden_dropout_prob");
        Probability(AttentionProbsDropoutProb, "attention_probs_dropout_prob");
        if (ClassifierDropout is { } c) Probability(c, "classifier_dropout");
        if (!Enum.IsDefined(ClassifierPooling))
            throw new ArgumentException($"classifier_pooling {(int)ClassifierPooling} is not one of \"cls\", \"mean\".");
        if (!(LayerNormEps > 0)) throw new ArgumentException($"layer_norm_eps must be positive, got {LayerNormEps}.");
        if (PadTokenId < 0 || PadTokenId >= VocabSize) throw new ArgumentException($"pad_token_id {PadTokenId} is outside the vocabulary [0, {VocabSize}).");
        if (PositionEmbeddingType != "absolute")
            throw new ArgumentException($"position_embedding_type '{PositionEmbeddingType}' is not implemented; only 'absolute' is.");
        _ = Activation;
        _ = ResolveProblemType(labelsAreIntegers: true);
    }

    // The encoder's parameters counted in double, so that absurd sizes cannot overflow: embeddings, then per layer the
    // attention (Q, K, V, output), the feed-forward pair and the two LayerNorms, then the pooler.
    private double ParameterCount
    {
        get
        {
            double h = HiddenSize, i = IntermediateSize;
            double embeddings = ((double)VocabSize + MaxPositionEmbeddings + TypeVocabSize + 2) * h;
            double layer = (4 * (h * h + h)) + (2 * h * i) + i + h + (4 * h);
            return embeddings + (NumHiddenLayers * layer) + (h * h) + h;
        }
    }

    /// <summary>The activation named by <see cref="HiddenAct"/>.</summary>
    [JsonIgnore]
    public BertActivation Activation => HiddenAct switch
    {
        "gelu" => BertActivation.Gelu,
        "gelu_new" or "gelu_pytorch_tanh" => BertActivation.GeluTanh,
        "relu" => BertActivation.Relu,
        _ => throw new ArgumentException($"hidden_act '{HiddenAct}' is not supported; use gelu, gelu_new, gelu_pytorch_tanh or relu."),
    };

    /// <summary>
    /// The loss a sequence-classification head uses, decided as HF's BertForSequenceClassification does: the configured
    /// <see cref="ProblemType"/>, else regression when <see cref="NumLabels"/> is 1, else single-label classification for
    /// integer labels and multi-label for float labels.
    /// </summary>
    public BertProblemType ResolveProblemType(bool labelsAreIntegers) => ProblemType switch
    {
        "regression" => BertProblemType.Regression,
        "single_label_classification" => BertProblemType.SingleLabelClassification,
        "multi_label_classification" => BertProblemType.MultiLabelClassification,
        null => NumLabels == 1 ? BertProblemType.Regression
            : labelsAreIntegers ? BertProblemType.SingleLabelClassification : BertProblemType.MultiLabelClassification,
        _ => throw new ArgumentException($"problem_type '{ProblemType}' is not one of regression, single_label_classification, multi_label_classification."),
    };
}
