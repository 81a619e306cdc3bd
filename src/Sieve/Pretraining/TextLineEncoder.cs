// Turns raw pre-training text into model inputs, one example per line: WordPiece with [CLS] … [SEP], truncated to the
// maximum length (HF run_mlm.py with --line_by_line). Lines are not packed into blocks (group_texts): every example
// keeps its own sentence, word map and [CLS]/[SEP], which is what word-level and global-token patterns bind to.
using Sieve.Data;
using Sieve.Modeling;
using Sieve.Tokenization;

namespace Sieve.Pretraining;

/// <summary>Encodes corpus lines with a <see cref="SieveTokenizer"/>, truncated to <see cref="MaxLength"/> tokens.</summary>
public sealed class TextLineEncoder
{
    private readonly SieveTokenizer _tokenizer;
    private readonly EncodeOptions _options;

    /// <summary>An encoder whose examples hold at most <paramref name="maxLength"/> tokens, [CLS] and [SEP] included.</summary>
    public TextLineEncoder(SieveTokenizer tokenizer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (maxLength < 3)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"the maximum length must leave room for [CLS], one token and [SEP] (at least 3), got {maxLength}.");
        _tokenizer = tokenizer;
        _options = new EncodeOptions { MaxLength = maxLength };
        MaxLength = maxLength;
        MaskTokenId = IdOf(tokenizer.VocabPath, "[MASK]");
    }

    /// <summary>The most tokens an example keeps.</summary>
    public int MaxLength { get; }

    /// <summary>The number of ids of the vocabulary (random replacements are drawn among them).</summary>
    public int VocabularySize => _tokenizer.VocabularySize;

    /// <summary>The id of [PAD].</summary>
    public int PadId => _tokenizer.PadTokenId;

    /// <summary>The id of [MASK].</summary>
    public int MaskTokenId { get; }

    /// <summary>Encodes <paramref name="lines"/>; line i gets data-set index i, so random patterns differ per line.</summary>
    public EncodedLine[] EncodeAll(IReadOnlyList<Example> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var encoded = new EncodedLine[lines.Count];
        Parallel.For(0, lines.Count, i => encoded[i] = Encode(lines[i].Text, i));
        return encoded;
    }

    /// <summary>Encodes one line at data-set index <paramref name="index"/>.</summary>
    public EncodedLine Encode(string line, int index)
    {
        ArgumentNullException.ThrowIfNull(line);
        var input = _tokenizer.Encode(line, null, _options);
        return new EncodedLine([.. input.InputIds], PatternInputs.For(input, index));
    }

    // The vocabulary id of an entry is its line number minus one (the tokenizer checked that [MASK] is there).
    private static int IdOf(string vocabPath, string entry)
    {
        int id = 0;
        foreach (var line in File.ReadLines(vocabPath))
        {
            if (string.Equals(line, entry, StringComparison.Ordinal)) return id;
            id++;
        }
        throw new InvalidDataException($"vocabulary file '{vocabPath}' lacks {entry}; masked-LM training needs it.");
    }
}
