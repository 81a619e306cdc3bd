// WordPiece tokenization for BERT; mirrors HF's slow BertTokenizer id for id (BasicTokenizer, then WordPiece through
// Microsoft.ML.Tokenizers' WordPieceTokenizer) for single sentences and pairs: [CLS]/[SEP], token types,
// longest-first truncation, padding, and the word of every token.
using System.Collections.Immutable;
using System.Text;
using Microsoft.ML.Tokenizers;
using Sieve.Data;

namespace Sieve.Tokenization;

/// <summary>
/// Encodes text for a BERT checkpoint from its <c>vocab.txt</c>. Normalisation (lower-casing, accents, CJK) follows
/// <see cref="TokenizerOptions"/>; the basic tokenizer splits words on whitespace and punctuation, and WordPiece
/// splits words into pieces. Instances are immutable.
/// </summary>
public sealed class SieveTokenizer
{
    // HF's longest word WordPiece tries (max_input_chars_per_word), in code points: a longer word is [UNK].
    private const int MaxInputCharsPerWord = 100;

    private const string Cls = "[CLS]", Sep = "[SEP]", PadToken = "[PAD]";

    private readonly BertBasicTokenizer _basic;
    private readonly WordPieceTokenizer _wordPiece;
    private readonly Dictionary<string, int> _specialIds;

    private SieveTokenizer(WordPieceTokenizer wordPiece, Dictionary<string, int> specialIds, TokenizerOptions options, string vocabPath, int vocabularySize)
    {
        _basic = new BertBasicTokenizer(options);
        _wordPiece = wordPiece;
        _specialIds = specialIds;
        Options = options;
        VocabPath = vocabPath;
        VocabularySize = vocabularySize;
    }

    /// <summary>The normalisation this tokenizer applies.</summary>
    public TokenizerOptions Options { get; }

    /// <summary>The vocabulary file it was created from.</summary>
    public string VocabPath { get; }

    /// <summary>The number of entries in the vocabulary (lines of vocab.txt).</summary>
    public int VocabularySize { get; }

    /// <summary>The id of [CLS].</summary>
    public int ClsTokenId => _specialIds[Cls];

    /// <summary>The id of [SEP].</summary>
    public int SepTokenId => _specialIds[Sep];

    /// <summary>The id of [PAD].</summary>
    public int PadTokenId => _specialIds[PadToken];

    /// <summary>
    /// Creates a tokenizer from a WordPiece <c>vocab.txt</c> (one entry per line; the id of an entry is its line number
    /// minus one) with the given normalisation (HF's defaults, for uncased checkpoints, when null).
    /// </summary>
    /// <exception cref="FileNotFoundException">The vocabulary file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, repeats an entry, or lacks one of [PAD], [UNK], [CLS], [SEP], [MASK].</exception>
    /// <exception cref="NotSupportedException">The runtime cannot normalise Unicode text (invariant globalization mode).</exception>
    public static SieveTokenizer Create(string vocabPath, TokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabPath);
        options ??= TokenizerOptions.Default;
        if (!File.Exists(vocabPath))
        {
            var hint = Directory.Exists(vocabPath) ? " (that is a folder; use SieveTokenizer.FromCheckpoint for a checkpoint folder)" : "";
            throw new FileNotFoundException($"vocabulary file not found: '{vocabPath}'{hint}. Give the checkpoint's vocab.txt (WordPiece, one entry per line).", vocabPath);
        }

        if (RegularFile.Problem(vocabPath, "the vocab.txt") is { } problem) throw new InvalidDataException(problem);
        var lines = File.ReadAllLines(vocabPath);
        if (lines.All(string.IsNullOrWhiteSpace))
            throw new InvalidDataException($"vocabulary file '{vocabPath}' is empty. Give the checkpoint's vocab.txt (WordPiece, one entry per line).");
        // The id of an entry is its line number minus one, as in HF's load_vocab; a repeated entry would make two ids.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            if (!ids.TryAdd(lines[i], i))
                throw new InvalidDataException($"vocabulary file '{vocabPath}' line {i + 1} repeats '{lines[i]}' of line {ids[lines[i]] + 1}; every entry of a WordPiece vocab.txt must be unique.");
        }
        var missing = BertBasicTokenizer.SpecialTokens.Where(t => !ids.ContainsKey(t)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"vocabulary file '{vocabPath}' lacks {string.Join(", ", missing)}; it is not a BERT WordPiece vocab.txt (one entry per line, special tokens included).");

        // HF normalises every text to NFC (and to NFD to strip accents). In .NET's invariant globalization mode
        // string.Normalize cannot compose or decompose, so "café" would differ from HF: fail here instead.
        if ("e\u0301".Normalize(NormalizationForm.FormC).Length != 1)
            throw new NotSupportedException("the BERT tokenizer needs Unicode normalisation (NFC, and NFD to strip accents), which this process lacks: it runs in .NET's invariant globalization mode. Run with InvariantGlobalization=false (and ICU installed).");

        // Basic tokenization is ours (BertBasicTokenizer); the package's WordPieceTokenizer only splits single words,
        // so it gets no normalizer and its pre-tokenizer is bypassed at each call. Its length limit counts UTF-16
        // chars, HF's code points: ours is checked first (in code points), and 100 code points fit in 200 chars.
        var wordPiece = WordPieceTokenizer.Create(vocabPath, new WordPieceOptions
        {
            UnknownToken = "[UNK]",
            ContinuingSubwordPrefix = "##",
            MaxInputCharsPerWord = 2 * MaxInputCharsPerWord,
        });
        var specialIds = BertBasicTokenizer.SpecialTokens.ToDictionary(t => t, t => ids[t], StringComparer.Ordinal);
        return new SieveTokenizer(wordPiece, specialIds, options, vocabPath, lines.Length);
    }

    /// <summary>
    /// Creates the tokenizer of a checkpoint folder: its <c>vocab.txt</c> with the normalisation its
    /// <c>tokenizer_config.json</c> or <c>tokenizer.json</c> asks for (<see cref="TokenizerOptions.FromCheckpoint"/>).
    /// </summary>
    public static SieveTokenizer FromCheckpoint(string directory) =>
        Create(Path.Combine(directory, "vocab.txt"), TokenizerOptions.FromCheckpoint(directory));

    /// <summary>
    /// Encodes one sentence (<paramref name="second"/> null) as <c>[CLS] A [SEP]</c>, or a pair as
    /// <c>[CLS] A [SEP] B [SEP]</c>, then truncates and pads it as <paramref name="options"/> say.
    /// </summary>
    /// <exception cref="ArgumentException">The input does not fit and truncation is off, or MaxLength is below 3 for a pair.</exception>
    public TokenizedInput Encode(string first, string? second = null, EncodeOptions? options = null)
    {
        options ??= EncodeOptions.Default;
        var encoded = EncodeUnpadded(first, second, options);
        return options.Padding == PaddingStrategy.MaxLength ? encoded.PadTo(options.MaxLength, PadTokenId, PadToken) : encoded;
    }

    /// <summary>
    /// Encodes a batch of sentences, or of pairs when <paramref name="second"/> is given (same count as
    /// <paramref name="first"/>), pads them together as <paramref name="options"/> say (to the longest of the batch,
    /// or to MaxLength) and lays them out as [B, N] arrays.
    /// </summary>
    /// <exception cref="ArgumentException">The counts differ, or the inputs have different lengths and padding is off.</exception>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> first, IReadOnlyList<string>? second = null, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        options ??= EncodeOptions.Default;
        if (second is not null && second.Count != first.Count)
            throw new ArgumentException($"a batch of pairs needs as many second sentences as first ones: got {first.Count} and {second.Count}.", nameof(second));

        var encoded = new TokenizedInput[first.Count];
        for (var i = 0; i < encoded.Length; i++)
            encoded[i] = EncodeUnpadded(first[i], second?[i], options);

        var target = options.Padding switch
        {
            PaddingStrategy.MaxLength => options.MaxLength,
            PaddingStrategy.Longest => encoded.Length == 0 ? 0 : encoded.Max(e => e.Length),
            _ => -1,
        };
        if (target >= 0)
            for (var i = 0; i < encoded.Length; i++)
                encoded[i] = encoded[i].PadTo(target, PadTokenId, PadToken);
        return new TokenizedBatch([.. encoded]);
    }

    private TokenizedInput EncodeUnpadded(string first, string? second, EncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(first);
        var specials = second is null ? 2 : 3;
        if (options.MaxLength < specials)
            throw new ArgumentException($"MaxLength {options.MaxLength} leaves no room for a sentence pair's [CLS], [SEP], [SEP]; use at least 3.", nameof(options));

        var a = Split(first);
        var b = second is null ? null : Split(second);
        var (na, nb) = Fit(a.Ids.Length, b?.Ids.Length ?? 0, second is not null, options);

        var length = specials + na + nb;
        var ids = ImmutableArray.CreateBuilder<int>(length);
        var tokens = ImmutableArray.CreateBuilder<string>(length);
        var types = ImmutableArray.CreateBuilder<int>(length);
        var words = ImmutableArray.CreateBuilder<int>(length);
        var specialPositions = ImmutableArray.CreateBuilder<int>(specials);

        void Special(int id, string token, int type)
        {
            specialPositions.Add(ids.Count);
            ids.Add(id);
            tokens.Add(token);
            types.Add(type);
            words.Add(-1);
        }

        void Pieces(Pieces p, int count, int type, int wordOffset)
        {
            for (var i = 0; i < count; i++)
            {
                ids.Add(p.Ids[i]);
                tokens.Add(p.Tokens[i]);
                types.Add(type);
                words.Add(p.Words[i] + wordOffset);
            }
        }

        // Truncation keeps a prefix of each sentence, so the words kept are 0 … Words[n − 1] of each.
        var wordsA = na == 0 ? 0 : a.Words[na - 1] + 1;
        var wordsB = b is null || nb == 0 ? 0 : b.Words[nb - 1] + 1;

        Special(ClsTokenId, Cls, 0);
        Pieces(a, na, 0, 0);
        Special(SepTokenId, Sep, 0);
        if (b is not null)
        {
            Pieces(b, nb, 1, wordsA);
            Special(SepTokenId, Sep, 1);
        }

        var truncated = a.Ids.Length - na + (b?.Ids.Length ?? 0) - nb;
        return new TokenizedInput(ids.MoveToImmutable(), tokens.MoveToImmutable(), types.MoveToImmutable(), words.MoveToImmutable(),
            specialPositions.MoveToImmutable(), length, wordsA + wordsB, truncated);
    }

    // How many pieces of each sentence are kept. Longest-first removes the last piece of the longer sentence, one at a
    // time, the second sentence losing on a tie: HF's truncate_sequences (the Python tokenizers). HF's fast (Rust)
    // tokenizer splits the budget in one step and can keep one piece more of the second sentence when both are cut
    // (A 4, B 4, room for 5: Python keeps 3 + 2, Rust 2 + 3); the two agree whenever only the longer one is cut.
    private static (int KeepA, int KeepB) Fit(int na, int nb, bool pair, EncodeOptions options)
    {
        var budget = options.MaxLength - (pair ? 3 : 2);
        if (na + nb <= budget) return (na, nb);
        if (options.Truncation == TruncationStrategy.None)
            throw new ArgumentException($"the input has {na + nb + (pair ? 3 : 2)} tokens with [CLS] and [SEP], more than MaxLength {options.MaxLength}, and truncation is off. Raise MaxLength or use TruncationStrategy.LongestFirst.", nameof(options));
        while (na + nb > budget)
        {
            if (na > nb) na--;
            else nb--;
        }
        return (na, nb);
    }

    // The word pieces of one sentence and the word (0-based, within the sentence) of each: the basic tokenizer's
    // words, each split by WordPiece; a special token written in the text is a word of one piece, its own id.
    private Pieces Split(string text)
    {
        var ids = new List<int>();
        var tokens = new List<string>();
        var words = new List<int>();
        var word = 0;
        foreach (var w in _basic.Tokenize(text))
        {
            if (_specialIds.TryGetValue(w, out var special))
            {
                ids.Add(special);
                tokens.Add(w);
            }
            else if (CountCodePoints(w) > MaxInputCharsPerWord)
            {
                ids.Add(_wordPiece.UnknownTokenId);
                tokens.Add(_wordPiece.UnknownToken);
            }
            else
            {
                foreach (var piece in _wordPiece.EncodeToTokens(w, out _, considerPreTokenization: false, considerNormalization: false))
                {
                    ids.Add(piece.Id);
                    tokens.Add(piece.Value);
                }
            }
            while (words.Count < ids.Count) words.Add(word);
            word++;
        }
        return new Pieces([.. ids], [.. tokens], [.. words]);
    }

    /// <summary>
    /// The basic tokenizer's words of <paramref name="text"/> (normalised as the vocabulary asks: lower-cased, accents
    /// stripped), whose indices are the word ids of <see cref="Encode"/>; word-level inputs such as a parse align to them.
    /// </summary>
    internal IReadOnlyList<string> BasicWords(string text) => _basic.Tokenize(text);

    private static int CountCodePoints(string word)
    {
        var n = 0;
        foreach (var _ in word.EnumerateRunes()) n++;
        return n;
    }

    private sealed record Pieces(int[] Ids, string[] Tokens, int[] Words);
}
