// The long-document task (issue 14): documents of thousands of wordpieces assembled from real sentences, whose label
// is the label of one sentence (the needle) placed far from [CLS]. The filler is neutral prose (RTE's news sentences),
// the needle a movie-review sentence of SST-2 with its sentiment: to classify a document the model has to find the one
// review sentence and read it, wherever it is. With the needle past token 512, a model truncated to 512 tokens is at
// chance, and a local window alone has to carry it to [CLS] through every layer; a global [CLS] reads it directly.
// Seeded System.Random, so the same sources, options and seed give the same files.
using System.Globalization;

namespace Sieve.Data;

/// <summary>Generates and writes the long-document task in SST-2's file format.</summary>
public static class LongDocumentGenerator
{
    /// <summary>The header of the written files: SST-2's two columns, then where the needle is and the document's length.</summary>
    public const string Header = "sentence\tlabel\tneedle_token\ttokens";

    /// <summary>The file that records how the task was made.</summary>
    public const string ManifestFile = "longdoc.json";

    // A filler sentence longer than this is left out: one such block would leave little room to place the needle.
    private const int MaxFillerTokens = 256;

    /// <summary>
    /// <paramref name="count"/> documents from the labelled <paramref name="needles"/> (each used at most once) and the
    /// <paramref name="filler"/> texts; <paramref name="wordpieces"/> counts a text's wordpieces without [CLS]/[SEP].
    /// </summary>
    /// <exception cref="InvalidOperationException">Too few usable needles, or too little filler to reach the offset.</exception>
    public static IReadOnlyList<LongDocument> Generate(IReadOnlyList<Example> needles, IReadOnlyList<string> filler, int count,
        Func<string, int> wordpieces, LongDocumentOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(needles);
        ArgumentNullException.ThrowIfNull(filler);
        ArgumentNullException.ThrowIfNull(wordpieces);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        int content = options.Tokens - 2;            // between [CLS] and [SEP]
        int before = options.MinOffset - 1;          // filler wordpieces the needle needs in front of it
        var pool = NeedlePool(needles, wordpieces, options, content - before);
        if (pool.Count < count)
        {
            throw new InvalidOperationException(
                $"only {pool.Count} distinct labelled needle sentences have at least {options.MinNeedleWords} words and fit after token {options.MinOffset}; " +
                $"ask for at most {pool.Count} documents, or lower the minimum words.");
        }
        Shuffle(pool, random);
        var blocks = FillerPool(filler, wordpieces);
        long fillerTotal = blocks.Sum(b => (long)b.Tokens);
        if (fillerTotal < before + 1)
        {
            throw new InvalidOperationException(
                $"the filler sentences hold {fillerTotal} wordpieces, fewer than the {before + 1} a needle at token {options.MinOffset} or later needs in front of it; " +
                "give more filler text or a smaller minimum offset.");
        }
        var documents = new List<LongDocument>(count);
        for (int i = 0; i < count; i++) documents.Add(Document(pool[i], blocks, content, before, random));
        return documents;
    }

    /// <summary>Writes train.tsv, dev.tsv and <see cref="ManifestFile"/> into <paramref name="directory"/>; returns their paths.</summary>
    /// <exception cref="IOException">The folder already holds one of the files (nothing is overwritten).</exception>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<LongDocument> train, IReadOnlyList<LongDocument> dev, LongDocumentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        return GeneratedTaskFiles.Write(directory, writer => WriteTsv(writer, train), writer => WriteTsv(writer, dev), ManifestFile, manifest);
    }

    /// <summary>The statistics of one split that the manifest records.</summary>
    public static LongDocumentSplitSummary Summarize(string split, IReadOnlyList<LongDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var offsets = documents.Select(d => d.NeedleToken).Order().ToArray();
        var lengths = documents.Select(d => d.Tokens).Order().ToArray();
        return new LongDocumentSplitSummary(split, documents.Count,
            documents.GroupBy(d => d.Label).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.Count()),
            offsets[0], offsets[offsets.Length / 2], offsets[^1], lengths[0], lengths[lengths.Length / 2], lengths[^1]);
    }

    // One document: a fresh random order of the filler, each block taken while it fits beside the needle, then the
    // needle at a block boundary drawn uniformly among those at or past the minimum offset.
    private static LongDocument Document((string Text, int Label, int Tokens) needle, List<(string Text, int Tokens)> blocks, int content, int before, Random random)
    {
        int room = content - needle.Tokens;
        var order = Enumerable.Range(0, blocks.Count).ToArray();
        var chosen = new List<int>();
        int used = 0;
        for (int drawn = 0; drawn < order.Length && room - used > 0; drawn++)
        {
            int pick = random.Next(drawn, order.Length);   // a lazy Fisher-Yates shuffle: no block twice in a document
            (order[drawn], order[pick]) = (order[pick], order[drawn]);
            var block = blocks[order[drawn]];
            if (used + block.Tokens > room) continue;
            chosen.Add(order[drawn]);
            used += block.Tokens;
        }
        var offsets = new int[chosen.Count + 1];   // offsets[k]: filler wordpieces in front of boundary k
        for (int k = 0; k < chosen.Count; k++) offsets[k + 1] = offsets[k] + blocks[chosen[k]].Tokens;
        var starts = Enumerable.Range(0, offsets.Length).Where(k => offsets[k] >= before).ToArray();   // where the needle may go
        if (starts.Length == 0)
            throw new InvalidOperationException($"a document's filler reached only {used} wordpieces, fewer than the {before} in front of the needle; give more filler text.");
        int at = starts[random.Next(starts.Length)];
        var parts = chosen.Select(k => blocks[k].Text).ToList();
        parts.Insert(at, needle.Text);
        return new LongDocument(string.Join(' ', parts), needle.Label, 1 + offsets[at], needle.Tokens, used + needle.Tokens + 2);
    }

    private static List<(string Text, int Label, int Tokens)> NeedlePool(IReadOnlyList<Example> needles, Func<string, int> wordpieces, LongDocumentOptions options, int maxTokens)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pool = new List<(string, int, int)>();
        foreach (var example in needles)
        {
            if (example.Label is not int label) continue;
            var text = OneLine(example.Text);
            if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < options.MinNeedleWords || !seen.Add(text)) continue;
            int tokens = wordpieces(text);
            if (tokens >= 1 && tokens <= maxTokens) pool.Add((text, label, tokens));
        }
        return pool;
    }

    private static List<(string Text, int Tokens)> FillerPool(IReadOnlyList<string> filler, Func<string, int> wordpieces)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pool = new List<(string, int)>();
        foreach (var raw in filler)
        {
            var text = OneLine(raw);
            if (text.Length == 0 || !seen.Add(text)) continue;
            int tokens = wordpieces(text);
            if (tokens >= 1 && tokens <= MaxFillerTokens) pool.Add((text, tokens));
        }
        return pool;
    }

    // Tabs and line breaks would break the TSV row; runs of white space become one space (the tokenizer splits on it anyway).
    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static void WriteTsv(TextWriter writer, IReadOnlyList<LongDocument> documents)
    {
        writer.WriteLine(Header);
        foreach (var d in documents)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Text}\t{d.Label}\t{d.NeedleToken}\t{d.Tokens}"));
    }
}
