// A throw-away SST-2 folder with dependency parses: 12 training and 6 dev sentences, their CoNLL-U parses (hand-made
// trees: determiners and adjectives on their noun, the noun on the verb), a vocabulary of their words and a BERT
// config of width 16 — the inputs of InputDependentPatternCommandTests, with no shared data needed.
using Sieve.Modeling;

namespace Sieve.Cli.Tests;

internal sealed class ParsedTask : IDisposable
{
    // Each sentence as (form, 1-based head) pairs; label 1 for the happy ones.
    private static readonly (string Form, int Head)[][] _train =
    [
        [("the", 2), ("cat", 3), ("sat", 0), (".", 3)],
        [("a", 3), ("happy", 3), ("dog", 4), ("ran", 0)],
        [("the", 3), ("sad", 3), ("cat", 4), ("slept", 0), (".", 4)],
        [("a", 2), ("dog", 3), ("doesn't", 0), (".", 3)],
        [("the", 3), ("happy", 3), ("bird", 4), ("sang", 0)],
        [("a", 3), ("sad", 3), ("bird", 4), ("sat", 0), (".", 4)],
        [("the", 2), ("dog", 3), ("sang", 0)],
        [("a", 2), ("cat", 3), ("ran", 0), (".", 3)],
        [("the", 3), ("happy", 3), ("cat", 4), ("sang", 0), (".", 4)],
        [("a", 3), ("sad", 3), ("dog", 4), ("slept", 0)],
        [("the", 2), ("bird", 3), ("ran", 0), (".", 3)],
        [("a", 3), ("happy", 3), ("bird", 4), ("slept", 0), (".", 4)],
    ];

    private static readonly (string Form, int Head)[][] _dev =
    [
        [("the", 3), ("happy", 3), ("dog", 4), ("sat", 0)],
        [("a", 3), ("sad", 3), ("cat", 4), ("ran", 0), (".", 4)],
        [("the", 2), ("bird", 3), ("slept", 0)],
        [("a", 3), ("happy", 3), ("cat", 4), ("slept", 0), (".", 4)],
        [("the", 3), ("sad", 3), ("dog", 4), ("sang", 0)],
        [("a", 2), ("bird", 3), ("sat", 0), (".", 3)],
    ];

    public ParsedTask()
    {
        Write("train", _train);
        Write("dev", _dev);
        string[] words = ["the", "a", "cat", "dog", "bird", "happy", "sad", "sat", "ran", "slept", "sang", "doesn", "'", "t", "."];
        var vocab = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Concat(words).ToArray();
        File.WriteAllLines(Vocab, vocab);
        File.WriteAllText(Config, new BertConfig
        {
            VocabSize = vocab.Length,
            HiddenSize = 16,
            NumHiddenLayers = 2,
            NumAttentionHeads = 2,
            IntermediateSize = 32,
            MaxPositionEmbeddings = 32,
        }.ToJson());
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("sieve-cli-parsed-").FullName;

    public string Data => Path.Combine(Folder, "sst2");

    public string Vocab => Path.Combine(Folder, "vocab.txt");

    public string Config => Path.Combine(Folder, "config.json");

    /// <summary>The parses of a split: <c>train.conllu</c> or <c>dev.conllu</c> beside the data folder.</summary>
    public string Parses(string split) => Path.Combine(Folder, $"{split}.conllu");

    /// <summary>The arguments of a from-scratch fine-tuning run into <paramref name="run"/> (under the folder), then <paramref name="extra"/>.</summary>
    public string[] FineTune(string run, string pattern, params string[] extra) =>
    [
        "finetune", "--task", "sst2", "--data", Data, "--config", Config, "--vocab", Vocab, "--pattern", pattern,
        "--output", Path.Combine(Folder, run), "--max-steps", "3", "--batch-size", "4", "--max-length", "16", "--seed", "5", "--format", "json", .. extra,
    ];

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    // The split's TSV (a "doesn't" is written as one word, as SST-2 would not, so that the parse's n't must be aligned)
    // and its CoNLL-U, where "doesn't" is the two syntactic words does + n't under a multi-word token line.
    private void Write(string split, (string Form, int Head)[][] sentences)
    {
        Directory.CreateDirectory(Data);
        var rows = sentences.Select((s, i) => $"{string.Join(' ', s.Select(w => w.Form))}\t{(s.Any(w => w.Form is "happy") ? 1 : 0)}");
        File.WriteAllLines(Path.Combine(Data, $"{split}.tsv"), ["sentence\tlabel", .. rows]);
        var blocks = sentences.Select((s, i) =>
        {
            var lines = new List<string> { $"# sent_id = {split}-{i + 1}", $"# text = {string.Join(' ', s.Select(w => w.Form))}" };
            int id = 1;
            foreach (var (form, head) in s)
            {
                // A head past a split word moves by one; the split word's second half hangs on its first.
                int Shift(int h) => h > 0 && s.Take(h - 1).Any(w => w.Form == "doesn't") ? h + 1 : h;
                if (form == "doesn't")
                {
                    lines.Add($"{id}-{id + 1}\tdoesn't\t_\t_\t_\t_\t_\t_\t_\t_");
                    lines.Add($"{id}\tdoes\tdo\tAUX\t_\t_\t{Shift(head)}\taux\t_\t_");
                    lines.Add($"{id + 1}\tn't\tnot\tPART\t_\t_\t{id}\tadvmod\t_\t_");
                    id += 2;
                    continue;
                }
                lines.Add($"{id}\t{form}\t_\t_\t_\t_\t{Shift(head)}\tdep\t_\t_");
                id++;
            }
            return string.Join('\n', lines);
        });
        File.WriteAllText(Parses(split), string.Join("\n\n", blocks) + "\n\n");
    }
}
