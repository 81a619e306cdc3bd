// A throw-away folder with what `sieve pretrain` needs for a run of a second or two: a 35-entry vocabulary, a BERT
// config of width 16 and a 40-line corpus over that vocabulary (the inputs of PretrainCommandTests).
using Sieve.Modeling;

namespace Sieve.Cli.Tests;

internal sealed class TinyCorpus : IDisposable
{
    public TinyCorpus()
    {
        File.WriteAllLines(Path.Combine(Folder, "vocab.txt"), new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(Enumerable.Range(0, 30).Select(i => $"w{i}")));
        File.WriteAllText(Path.Combine(Folder, "config.json"), new BertConfig
        {
            VocabSize = 35,
            HiddenSize = 16,
            NumHiddenLayers = 2,
            NumAttentionHeads = 2,
            IntermediateSize = 32,
            MaxPositionEmbeddings = 32,
        }.ToJson());
        File.WriteAllLines(Path.Combine(Folder, "corpus.txt"), Enumerable.Range(0, 40).Select(i =>
            string.Join(' ', Enumerable.Range(0, 3 + (i % 10)).Select(j => $"w{((i * 7) + (j * 3)) % 30}"))));
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("sieve-cli-runs-").FullName;

    /// <summary>The arguments of a pre-training run into <paramref name="run"/> (under the folder), then <paramref name="extra"/>.</summary>
    public string[] Pretrain(string run, params string[] extra) =>
    [
        "pretrain", "--data", Path.Combine(Folder, "corpus.txt"), "--vocab", Path.Combine(Folder, "vocab.txt"),
        "--config", Path.Combine(Folder, "config.json"), "--output", Path.Combine(Folder, run), "--max-length", "16",
        "--batch-size", "4", "--validation-share", "0.1", "--seed", "3", .. extra,
    ];

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
