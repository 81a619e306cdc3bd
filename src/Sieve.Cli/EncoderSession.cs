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
    private EncoderSession(string directory, BertConfig config, SieveTokenizer tokenizer, BertForSequenceClassification? classifier, BertModel bert,
        CheckpointLoadReport report, string patternName)
    {
        Directory = directory;
        Config = config;
        Tokenizer = tokenizer;
        Classifier = classifier;
        Bert = bert;
        Report = report;
        PatternName = patternName;
    }

    public string Directory { get; }

    public BertConfig Config { get; }

    public SieveTokenizer Tokenizer { get; }

    /// <summary>The classifier, when config.json names BertForSequenceClassification; null for a bare encoder.</summary>
    public BertForSequenceClassification? Classifier { get; }

    public BertModel Bert { get; }

    public CheckpointLoadReport Report { get; }

    /// <summary>What the layers attend with: the learnable spec, the requested or saved pattern, else full.</summary>
    public string PatternName { get; }

    /// <summary>
    /// Loads <paramref name="directory"/>, says on <paramref name="error"/> what the load did, and sets the attention:
    /// a learnable pattern runs hardened; otherwise <paramref name="pattern"/>, else the saved one, else full.
    /// </summary>
    public static EncoderSession Open(string directory, string? pattern, AttentionKernelKind kernel, ulong seed, TextWriter error)
    {
        var config = BertCheckpoint.ReadConfig(directory);
        var vocab = BertCheckpoint.VocabPath(directory) ?? throw new InvalidOperationException($"{directory} has no vocab.txt; the model's tokenizer comes from it.");
        var tokenizer = SieveTokenizer.Create(vocab, TokenizerOptions.FromCheckpoint(directory));
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
            LoadNotice.Write(error, report, directory);
            if (pattern is { } other && bert.LearnedSpec is { } learnedSpec)
                throw new ArgumentException($"{directory} learns its pattern ({learnedSpec}); --pattern {other} cannot replace it. Encode with a model without a learnable pattern to try another one.");
            var chosen = bert.LearnedSpec is not null ? null : pattern is { } spec ? PatternSpec.Parse(spec) : bert.Attention.Pattern ?? new FullPattern();
            bert.Attention = new AttentionSettings { Pattern = chosen, Kernel = kernel, Seed = seed };
            classifier?.eval();
            bert.eval();
            return new EncoderSession(directory, config, tokenizer, classifier, bert, report, bert.LearnedSpec?.ToString() ?? chosen!.ToString());
        }
        catch
        {
            if (classifier is not null) classifier.Dispose();
            else bert.Dispose();
            throw;
        }
    }

    /// <summary>The label of class <paramref name="index"/>: config.json's id2label, else HF's LABEL_i.</summary>
    public string Label(int index) =>
        Config.Id2Label?.GetValueOrDefault(index.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? $"LABEL_{index}";

    public void Dispose()
    {
        if (Classifier is not null) Classifier.Dispose();
        else Bert.Dispose();
    }
}
