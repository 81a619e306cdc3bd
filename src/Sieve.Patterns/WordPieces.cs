// The word-piece mapping shared by the word-level patterns (syntax, lexical), METHODS.md §2.2 [I]: every piece of word u
// gets all edges of u, the pieces of one word are fully connected, special tokens get a self-loop or are global.
namespace Sieve.Patterns;

/// <summary>
/// Which tokens make up which word, read from <see cref="PatternContext.WordIds"/> (−1 = special token) or, without
/// word ids, one token per word. Expands a word graph into token rows in O(nnz) after validating the context.
/// </summary>
internal sealed class WordPieces
{
    private WordPieces(int length, int[] wordOf, int[][] tokensOf, int[] specials)
    {
        Length = length;
        WordOf = wordOf;
        TokensOf = tokensOf;
        Specials = specials;
    }

    /// <summary>N, the number of tokens.</summary>
    public int Length { get; }

    /// <summary>The word of every token, −1 for a special token.</summary>
    public int[] WordOf { get; }

    /// <summary>The token positions of every word, ascending; empty for a word cut off by truncation.</summary>
    public int[][] TokensOf { get; }

    /// <summary>The positions of the special tokens, ascending.</summary>
    public int[] Specials { get; }

    public int WordCount => TokensOf.Length;

    /// <summary>
    /// Reads the word map of <paramref name="context"/>. With <paramref name="wordCount"/> given (the parse's word
    /// count) word ids must lie below it; words without a token are allowed (a truncated sequence). Without word ids
    /// every token is its own word, so the word count must equal N.
    /// </summary>
    public static WordPieces From(PatternContext context, string spec, int? wordCount, string wordCountField)
    {
        int n = context.Length;
        var ids = context.WordIds;
        if (ids is null)
        {
            if (wordCount is int count && count != n)
                throw new ArgumentException(
                    $"{spec}: PatternContext.{wordCountField} has {count} words but the sequence has {n} tokens and PatternContext.WordIds is not set; " +
                    "set WordIds to map word pieces to words (−1 for [CLS]/[SEP]) or give one entry per token.", nameof(context));
            var identity = new int[n];
            var single = new int[n][];
            for (int t = 0; t < n; t++) { identity[t] = t; single[t] = [t]; }
            return new WordPieces(n, identity, single, []);
        }
        if (ids.Count != n)
            throw new ArgumentException($"{spec}: PatternContext.WordIds has {ids.Count} entries but the sequence has {n} tokens; give one word id per token.", nameof(context));
        int words = 0;
        for (int t = 0; t < n; t++)
        {
            int w = ids[t];
            if (w < -1 || (wordCount is int limit && w >= limit))
            {
                string range = wordCount is int l ? $"−1 (special token) or 0..{l - 1} (the words of PatternContext.{wordCountField})" : "−1 (special token) or a word index ≥ 0";
                throw new ArgumentException($"{spec}: PatternContext.WordIds[{t}] = {w} is out of range; it must be {range}.", nameof(context));
            }
            words = Math.Max(words, w + 1);
        }
        words = wordCount ?? words;
        var sizes = new int[words];
        int specialCount = 0;
        for (int t = 0; t < n; t++)
        {
            if (ids[t] < 0) specialCount++;
            else sizes[ids[t]]++;
        }
        var tokensOf = new int[words][];
        for (int w = 0; w < words; w++) tokensOf[w] = new int[sizes[w]];
        var specials = new int[specialCount];
        var wordOf = new int[n];
        Array.Clear(sizes);
        specialCount = 0;
        for (int t = 0; t < n; t++)
        {
            int w = ids[t];
            wordOf[t] = w;
            if (w < 0) specials[specialCount++] = t;
            else tokensOf[w][sizes[w]++] = t;
        }
        return new WordPieces(n, wordOf, tokensOf, specials);
    }

    /// <summary>
    /// Expands an undirected word graph (<paramref name="neighbours"/>[u] = the other words u is linked to) into token
    /// rows: the row of a piece of u holds every piece of u and of its neighbours (plus the special tokens when they are
    /// global). Under <see cref="ClsRow.All"/> the row of [CLS], a special token at position 0, holds every token.
    /// Rows are stored once per word, since all pieces of a word share them.
    /// </summary>
    public PatternRows Expand(IReadOnlyList<int>[] neighbours, SpecialTokenMode special, ClsRow cls)
    {
        var rowsOfWord = new int[WordCount][];
        var buffer = new List<int>();
        for (int u = 0; u < WordCount; u++)
        {
            if (TokensOf[u].Length == 0) { rowsOfWord[u] = []; continue; }
            buffer.Clear();
            buffer.AddRange(TokensOf[u]);
            foreach (int v in neighbours[u]) buffer.AddRange(TokensOf[v]);
            if (special == SpecialTokenMode.Global) buffer.AddRange(Specials);
            // Each token belongs to one word and neighbour lists are unique, so the keys are already unique.
            buffer.Sort();
            rowsOfWord[u] = [.. buffer];
        }
        return new Rows(this, rowsOfWord, special, cls);
    }

    private sealed class Rows(WordPieces pieces, int[][] rowsOfWord, SpecialTokenMode special, ClsRow cls) : PatternRows(pieces.Length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            int word = pieces.WordOf[row];
            if (word >= 0) keys.AddRange(rowsOfWord[word]);
            else if (special == SpecialTokenMode.Global || (cls == ClsRow.All && row == 0)) keys.AddRange(0, Length);
            else keys.Add(row);
        }
    }
}
