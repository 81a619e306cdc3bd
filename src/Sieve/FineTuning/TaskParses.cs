// The dependency parses of a task split for Breaking BERT's syntax pattern (METHODS.md §2.2 [I]): a CoNLL-U file whose
// sentences follow the split's rows in order, each row's words matched to its parse's words character by character.
using Sieve.Data;
using Sieve.Patterns;
using Sieve.Tokenization;

namespace Sieve.FineTuning;

/// <summary>
/// A CoNLL-U file aligned with the rows of one split by index: row i (the i-th example the split yields, so a row
/// skipped as malformed takes no sentence) is sentence i, or sentences 2i and 2i + 1 (text, then text pair) for a
/// pair task. Words are matched to the row's text by their characters after the tokenizer's normalisation (case,
/// accents, spaces), so a parser's word split may differ from BERT's basic tokenizer ("don't" as do + n't); a
/// tokenizer word belongs to the parse word its first character falls in. A missing sentence or one whose characters
/// differ from the row's text is an error naming both files and lines, or, under <see cref="UnparsedRowPolicy.NoArcs"/>,
/// a row without arcs.
/// </summary>
public sealed class TaskParses
{
    private readonly IReadOnlyList<DependencySentence> _sentences;
    private int _unparsed;

    private TaskParses(string path, string dataFile, IReadOnlyList<DependencySentence> sentences, UnparsedRowPolicy policy)
    {
        Path = path;
        DataFile = dataFile;
        _sentences = sentences;
        Policy = policy;
    }

    /// <summary>The CoNLL-U file.</summary>
    public string Path { get; }

    /// <summary>The data file whose rows the sentences follow (for messages).</summary>
    public string DataFile { get; }

    /// <summary>What a row without a matching parse gets.</summary>
    public UnparsedRowPolicy Policy { get; }

    /// <summary>How many sentences the file holds.</summary>
    public int SentenceCount => _sentences.Count;

    /// <summary>How many rows had no matching parse and got no arcs (<see cref="UnparsedRowPolicy.NoArcs"/>).</summary>
    public int Unparsed => Volatile.Read(ref _unparsed);

    /// <summary>Reads <paramref name="path"/> as the parses of the rows of <paramref name="dataFile"/>; a malformed file names its line.</summary>
    public static TaskParses Read(string path, string dataFile, UnparsedRowPolicy policy = UnparsedRowPolicy.Error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dataFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"the CoNLL-U file {path} does not exist; give the dependency parses of {dataFile}, one sentence per text in row order.", path);
        // Sieve.Patterns reads the file as given; a pipe or a device would be read forever, so it is refused here.
        if (RegularFile.Problem(path, "the CoNLL-U file") is { } problem) throw new InvalidDataException(problem);
        return new TaskParses(path, dataFile, ConlluParse.ReadFile(path), policy);
    }

    /// <summary>
    /// <paramref name="context"/> with the parse of row <paramref name="row"/>: <see cref="PatternContext.DependencyHeads"/>
    /// over the parse's words (both sentences of a pair, no arc between them) and <see cref="PatternContext.WordIds"/>
    /// mapping every kept token to its parse word (−1 for [CLS] and [SEP]).
    /// </summary>
    internal PatternContext Attach(PatternContext context, TokenizedInput input, Example example, int row, SieveTokenizer tokenizer)
    {
        bool pair = example.TextPair is not null;
        int first = pair ? 2 * row : row;
        var texts = pair ? new[] { example.Text, example.TextPair! } : [example.Text];
        var maps = new int[texts.Length][];
        var sentences = new DependencySentence[texts.Length];
        for (int s = 0; s < texts.Length; s++)
        {
            int index = first + s;
            string? problem = index >= _sentences.Count
                ? $"{Path} has {_sentences.Count} sentence(s), but row {row + 1} of {DataFile} (line {example.Line}) needs sentence {index + 1}" +
                  (pair ? " (two per row for a pair task: the text, then the text pair)" : " (one per row)")
                : Align(tokenizer, texts[s], _sentences[index], out maps[s]);
            if (problem is not null)
            {
                if (Policy == UnparsedRowPolicy.Error)
                    throw new InvalidDataException(index >= _sentences.Count ? $"{problem}; the parses must follow the rows in order, or pass --unparsed-rows no-arcs to give such rows no arcs."
                        : $"{Path}: sentence {index + 1} (line {_sentences[index].FirstLine}) does not match {(pair ? (s == 0 ? "the text" : "the text pair") + " of " : "")}row {row + 1} of {DataFile} (line {example.Line}): {problem}; " +
                          "the parses must follow the rows in order, one sentence per text, or pass --unparsed-rows no-arcs to give such rows no arcs.");
                Interlocked.Increment(ref _unparsed);
                return NoArcs(context);
            }
            sentences[s] = _sentences[index];
        }

        // The tokenizer's word ids count the kept words of the text, then continue with the text pair's (see TokenizedInput.WordIds).
        int keptFirst = 0;
        for (int t = 0; t < context.Length; t++)
            if (input.TokenTypeIds[t] == 0 && input.WordIds[t] >= 0) keptFirst = Math.Max(keptFirst, input.WordIds[t] + 1);
        var wordIds = new int[context.Length];
        for (int t = 0; t < context.Length; t++)
        {
            int word = input.WordIds[t];
            wordIds[t] = word < 0 ? -1
                : pair && input.TokenTypeIds[t] == 1 ? sentences[0].Count + maps[1][word - keptFirst]
                : maps[0][word];
        }
        return context with
        {
            WordIds = wordIds,
            DependencyHeads = pair ? DependencySentence.PairHeads(sentences[0], sentences[1]) : [.. sentences[0].Heads],
        };
    }

    // Maps each tokenizer word of a text to the parse word its first character falls in; null when the characters
    // agree, else what differs.
    private static string? Align(SieveTokenizer tokenizer, string row, DependencySentence sentence, out int[] map)
    {
        var words = tokenizer.BasicWords(row);
        map = new int[words.Count];
        var parsed = new System.Text.StringBuilder();
        var owner = new List<int>();
        for (int w = 0; w < sentence.Count; w++)
        {
            // A CoNLL-U FORM is one word, so its normalised characters are what the basic tokenizer keeps of it.
            foreach (char c in string.Concat(tokenizer.BasicWords(sentence.Words[w])))
            {
                parsed.Append(c);
                owner.Add(w);
            }
        }
        string text = string.Concat(words), parse = parsed.ToString();
        if (text != parse)
        {
            int at = 0;
            while (at < text.Length && at < parse.Length && text[at] == parse[at]) at++;
            return $"after the common start '{Excerpt(text, at - 20, at)}' the text reads '{Excerpt(text, at, at + 20)}' where the parse reads '{Excerpt(parse, at, at + 20)}' (characters compared after lower-casing and without spaces)";
        }
        int offset = 0;
        for (int w = 0; w < words.Count; w++)
        {
            map[w] = owner[offset];
            offset += words[w].Length;
        }
        return null;
    }

    private static string Excerpt(string text, int from, int to) => text[Math.Clamp(from, 0, text.Length)..Math.Clamp(to, 0, text.Length)];

    // A row without a parse: its words are roots (no arcs) over the tokenizer's own words.
    private static PatternContext NoArcs(PatternContext context)
    {
        var ids = context.WordIds ?? [];
        int words = ids.Count == 0 ? context.Length : ids.Max() + 1;
        var heads = new int[Math.Max(words, 0)];
        Array.Fill(heads, -1);
        return context with { DependencyHeads = heads };
    }
}
