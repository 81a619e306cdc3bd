// The model `sieve encode` runs, loaded once: its config and tokenizer, the classifier (when config.json names a head)
// or the bare encoder, and the attention the command asked for. Shared by one-text and batch encoding.
using Sieve.Checkpoints;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Tokenization;

namespace Sieve.Cli;

/// <summary>A loaded model in evaluation mode with its tokenizer and attention set.</summary>
internal sealed class EncoderSession : IDisposable
{
    private EncoderSession(string directory, BertConfig config, SieveTokenizer tokenizer, int maxLength, BertForSequenceClassification? classifier,
        BertModel bert, CheckpointLoadReport report, string patternName)
    {
        Directory = directory;
        Config = config;
        Tokenizer = tokenizer;
        MaxLength = maxLength;
        Classifier = classifier;
        Bert = bert;
        Report = report;
        PatternName = patternName;
    }

    public string Directory { get; }

    public BertConfig Config { get; }

    public SieveTokenizer Tokenizer { get; }

    /// <summary>The length inputs are truncated to: the one asked for, else the model's whole position table.</summary>
    public int MaxLength { get; }

    /// <summary>The classifier, when config.json names BertForSequenceClassification; null for a bare encoder.</summary>
    public BertForSequenceClassification? Classifier { get; }

    public BertModel Bert { get; }

    public CheckpointLoadReport Report { get; }

    /// <summary>What the layers attend with: the learnable spec, the requested or saved pattern, else full.</summary>
    public string PatternName { get; }

    /// <summary>
    /// Checks <paramref name="maxLength"/> and the tokenizer against the model, loads <paramref name="directory"/>, and
    /// sets the attention: a learnable pattern runs hardened; otherwise <paramref name="pattern"/>, else the saved one,
    /// else full. What the load did is said by <see cref="WriteLoadNotice"/>, once the caller has checked its inputs.
    /// </summary>
    public static EncoderSession Open(string directory, int? maxLength, string? pattern, AttentionKernelKind kernel, ulong seed)
    {
        var config = BertCheckpoint.ReadConfig(directory);
        var vocab = BertCheckpoint.VocabPath(directory) ?? throw new InvalidOperationException($"{directory} has no vocab.txt; the model's tokenizer comes from it.");
        var tokenizer = SieveTokenizer.Create(vocab, TokenizerOptions.FromCheckpoint(directory));
        // The whole table by default: a model extended past 512 positions (sieve extend) reads inputs that long. The
        // limits are checked before the weights are read: libtorch would fail on them with a native trace.
        int length = maxLength ?? config.MaxPositionEmbeddings;
        ModelInputLimits.CheckLength(config, length);
        ModelInputLimits.CheckVocabulary(config, tokenizer.VocabularySize);
        bool hasHead = config.Architectures?.Contains(nameof(BertForSequenceClassification)) == true;
        CheckpointLoadReport report;
        BertForSequenceClassification? classifier = null;
        BertModel bert;
        if (hasHead)
        {
            classifier = BertCheckpoint.LoadForSequenceClassification(directory, out report);
            bert = classifier.Bert;
        }
        else
        {
            bert = BertCheckpoint.LoadModel(directory, out report);
        }
        try
        {
            if (pattern is { } other && bert.LearnedSpec is { } learnedSpec)
                throw new ArgumentException($"{directory} learns its pattern ({learnedSpec}); --pattern {other} cannot replace it. Encode with a model without a learnable pattern to try another one.");
            // Without a pattern of its own the model runs full() on the kernel, so that encoding always reports a layout.
            string running = TrainedAttention.Apply(bert, pattern, "encode", kernel, seed, new FullPattern())!;
            classifier?.eval();
            bert.eval();
            return new EncoderSession(directory, config, tokenizer, length, classifier, bert, report, running);
        }
        catch
        {
            if (classifier is not null) classifier.Dispose();
            else bert.Dispose();
            throw;
        }
    }

    /// <summary>Says on <paramref name="error"/> which weights the load initialised or ignored.</summary>
    public void WriteLoadNotice(TextWriter error) => LoadNotice.Write(error, Report, Directory);

    /// <summary>The label of class <paramref name="index"/>: config.json's id2label, else HF's LABEL_i.</summary>
    public string Label(int index) =>
        Config.Id2Label?.GetValueOrDefault(index.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? $"LABEL_{index}";

    public void Dispose()
    {
        if (Classifier is not null) Classifier.Dispose();
        else Bert.Dispose();
    }
}
