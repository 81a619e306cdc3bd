// Small generated inputs for the pre-training tests: a WordPiece vocabulary of whole words w0 … w54 (the layout of the
// tiny-bert fixture), a tiny BERT config, a corpus of random lines over those words and a GLUE-style RTE folder.
using Sieve.Modeling;
using Sieve.Patterns;

namespace Sieve.Tests.Pretraining;

internal sealed class PretrainTestFiles : IDisposable
{
    public const int Words = 55;

    public PretrainTestFiles()
    {
        Directory.CreateDirectory(Path);
        VocabPath = Write("vocab.txt", string.Join('\n', new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Enumerable.Range(0, Words).Select(i => $"w{i}"))) + "\n");
        ConfigPath = Write("config.json", Config.ToJson());
    }

    /// <summary>[PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, then w0 … w54 (ids 5 … 59).</summary>
    public const int VocabularySize = Words + 5;

    public static BertConfig Config { get; } = new()
    {
        VocabSize = VocabularySize,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 40,
    };

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sieve-pretrain-" + Guid.NewGuid().ToString("N"));

    public string VocabPath { get; }

    public string ConfigPath { get; }

    /// <summary>Random lines of 2 … 16 words (seeded), one per line.</summary>
    public static string[] Lines(int count, ulong seed = 1)
    {
        var random = new SeededRandom(seed);
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, 2 + random.NextInt32(15)).Select(_ => $"w{random.NextInt32(Words)}")))];
    }

    public string Corpus(string name, int lines, ulong seed = 1) => Write(name, string.Join('\n', Lines(lines, seed)) + "\n");

    /// <summary>An RTE folder (train.tsv, dev.tsv in the GLUE layout) over the same words.</summary>
    public string RteFolder(int train, int dev)
    {
        var folder = System.IO.Path.Combine(Path, "RTE");
        Directory.CreateDirectory(folder);
        var sentences = Lines(2 * (train + dev), seed: 9);
        string Rows(int offset, int count) => "index\tsentence1\tsentence2\tlabel\n" + string.Concat(Enumerable.Range(0, count).Select(i =>
            $"{i}\t{sentences[2 * (offset + i)]}\t{sentences[(2 * (offset + i)) + 1]}\t{(i % 2 == 0 ? "entailment" : "not_entailment")}\n"));
        File.WriteAllText(System.IO.Path.Combine(folder, "train.tsv"), Rows(0, train));
        File.WriteAllText(System.IO.Path.Combine(folder, "dev.tsv"), Rows(train, dev));
        return folder;
    }

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
