// WordPiece tokenization for BERT on Microsoft.ML.Tokenizers' BertTokenizer; mirrors HF's BertTokenizer for single
// sentences and pairs: [CLS]/[SEP], token types, longest-first truncation, padding, and the word of every token.
using System.Collections.Immutable;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Sieve.Tokenization;

/// <summary>
/// Encodes text for a BERT checkpoint from its <c>vocab.txt</c>. Normalisation (lower-casing, accents, CJK) follows
/// <see cref="TokenizerOptions"/>; the basic tokenizer splits words on whitespace and punctuation, and WordPiece
/// splits words into pieces. Instances are immutable.
/// </summary>
public sealed class SieveTokenizer
{
    // BertTokenizer needs all five; checking first lets the error name the file and the missing entry.
    private static readonly string[] _requiredTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private readonly BertTokenizer _bert;

    private SieveTokenizer(BertTokenizer bert, TokenizerOptions options, string vocabPath, int vocabularySize)
    {
        _bert = bert;
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
    public int ClsTokenId => _bert.ClassificationTokenId;

    /// <summary>The id of [SEP].</summary>
    public int SepTokenId => _bert.SeparatorTokenId;

    /// <summary>The id of [PAD].</summary>
    public int PadTokenId => _bert.PaddingTokenId;

    /// <summary>
    /// Creates a tokenizer from a WordPiece <c>vocab.txt</c> (one entry per line; the id of an entry is its line number
    /// minus one) with the given normalisation (HF's defaults, for uncased checkpoints, when null).
    /// </summary>
    /// <exception cref="FileNotFoundException">The vocabulary file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty or lacks one of [PAD], [UNK], [CLS], [SEP], [MASK].</exception>
    /// <exception cref="NotSupportedException">Accents are to be stripped but the runtime cannot decompose Unicode text.</exception>
    public static SieveTokenizer Create(string vocabPath, TokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabPath);
        options ??= TokenizerOptions.Default;
        if (!File.Exists(vocabPath))
        {
            var hint = Directory.Exists(vocabPath) ? " (that is a folder; use SieveTokenizer.FromCheckpoint for a checkpoint folder)" : "";
            throw new FileNotFoundException($"vocabulary file not found: '{vocabPath}'{hint}. Give the checkpoint's vocab.txt (WordPiece, one entry per line).", vocabPath);
        }

        var lines = File.ReadAllLines(vocabPath);
        if (lines.All(string.IsNullOrWhiteSpace))
            throw new InvalidDataException($"vocabulary file '{vocabPath}' is empty. Give the checkpoint's vocab.txt (WordPiece, one entry per line).");
        var entries = lines.ToHashSet(StringComparer.Ordinal);
        var missing = _requiredTokens.Where(t => !entries.Contains(t)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"vocabulary file '{vocabPath}' lacks {string.Join(", ", missing)}; it is not a BERT WordPiece vocab.txt (one entry per line, special tokens included).");

        // In .NET's invariant globalization mode string.Normalize leaves "é" composed, so BertTokenizer would keep
        // accents and map "café" to [UNK] instead of "cafe": fail here rather than silently differ from HF.
        if (options.StripsAccents && "\u00e9".Normalize(NormalizationForm.FormD).Length == 1)
            throw new NotSupportedException("stripping accents (the default for uncased checkpoints) needs Unicode normalisation, which this process lacks: it runs in .NET's invariant globalization mode. Run with InvariantGlobalization=false (and ICU installed), or set TokenizerOptions.StripAccents = false knowingly.");

        var bert = BertTokenizer.Create(vocabPath, new BertOptions
        {
            LowerCaseBeforeTokenization = options.LowerCase,
            RemoveNonSpacingMarks = options.StripsAccents,
            IndividuallyTokenizeCjk = options.TokenizeChineseChars,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = true,
        });
        return new SieveTokenizer(bert, options, vocabPath, lines.Length);
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
        return options.Padding == PaddingStrategy.MaxLength ? encoded.PadTo(options.MaxLength, PadTokenId, _bert.PaddingToken) : encoded;
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
                encoded[i] = encoded[i].PadTo(target, PadTokenId, _bert.PaddingToken);
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

        Special(ClsTokenId, _bert.ClassificationToken, 0);
        Pieces(a, na, 0, 0);
        Special(SepTokenId, _bert.SeparatorToken, 0);
        if (b is not null)
        {
            Pieces(b, nb, 1, wordsA);
            Special(SepTokenId, _bert.SeparatorToken, 1);
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

    // The word pieces of one sentence and the word (0-based, within the sentence) of each. Words are the
    // pre-tokenizer's spans over the normalised text; each piece's offset falls in exactly one of them.
    private Pieces Split(string text)
    {
        var encoded = _bert.EncodeToTokens(text, out var normalized);
        var source = normalized ?? text;
        var pre = _bert.PreTokenizer ?? throw new InvalidOperationException("BertTokenizer has no pre-tokenizer although basic tokenization is on.");
        var spans = pre.PreTokenize(source).ToArray();

        var ids = new int[encoded.Count];
        var tokens = new string[encoded.Count];
        var words = new int[encoded.Count];
        int span = 0, word = -1, lastSpan = -1;
        for (var i = 0; i < encoded.Count; i++)
        {
            var start = encoded[i].Offset.Start.GetOffset(source.Length);
            while (span < spans.Length && spans[span].Offset + spans[span].Length <= start) span++;
            if (span == spans.Length || start < spans[span].Offset)
                throw new InvalidOperationException($"word piece '{encoded[i].Value}' at offset {start} lies in no word of the normalised text; the tokenizer's offsets and pre-tokenizer disagree.");
            // Number the words that have pieces densely, so that indices stay contiguous whatever the pre-tokenizer yields.
            if (span != lastSpan)
            {
                word++;
                lastSpan = span;
            }
            ids[i] = encoded[i].Id;
            tokens[i] = encoded[i].Value;
            words[i] = word;
        }
        return new Pieces(ids, tokens, words);
    }

    private sealed record Pieces(int[] Ids, string[] Tokens, int[] Words);
}
