// One encoded input, a sentence or a sentence pair, as BERT takes it; mirrors HF's BatchEncoding for one example
// (input_ids, token_type_ids, attention_mask, special_tokens_mask, word_ids()).
using System.Collections.Immutable;

namespace Sieve.Tokenization;

/// <summary>
/// An encoded input: <c>[CLS] A [SEP]</c> or <c>[CLS] A [SEP] B [SEP]</c>, then any [PAD]s. Every array has
/// <see cref="Length"/> entries; the real tokens are the first <see cref="RealLength"/>.
/// </summary>
public sealed record TokenizedInput
{
    internal TokenizedInput(
        ImmutableArray<int> inputIds,
        ImmutableArray<string> tokens,
        ImmutableArray<int> tokenTypeIds,
        ImmutableArray<int> wordIds,
        ImmutableArray<int> specialTokenPositions,
        int realLength,
        int wordCount,
        int truncatedTokens)
    {
        InputIds = inputIds;
        Tokens = tokens;
        TokenTypeIds = tokenTypeIds;
        WordIds = wordIds;
        SpecialTokenPositions = specialTokenPositions;
        RealLength = realLength;
        WordCount = wordCount;
        TruncatedTokens = truncatedTokens;
        AttentionMask = [.. Enumerable.Range(0, inputIds.Length).Select(i => i < realLength ? 1 : 0)];
    }

    /// <summary>The vocabulary id of every token.</summary>
    public ImmutableArray<int> InputIds { get; }

    /// <summary>The vocabulary entry of every token (<c>##</c> marks a piece that continues a word); for reading and pictures.</summary>
    public ImmutableArray<string> Tokens { get; }

    /// <summary>The segment of every token: 0 for [CLS], the first sentence and its [SEP]; 1 for the second sentence and its [SEP]; 0 for padding.</summary>
    public ImmutableArray<int> TokenTypeIds { get; }

    /// <summary>1 for a real token, 0 for padding.</summary>
    public ImmutableArray<int> AttentionMask { get; }

    /// <summary>
    /// The word each token belongs to, −1 for [CLS], [SEP] and [PAD]. Words are the basic tokenizer's: runs of letters
    /// and digits, and each punctuation mark on its own. Unlike HF's <c>word_ids()</c>, which restarts at 0 for the
    /// second sentence, words are counted across both sentences of a pair (0 … <see cref="WordCount"/> − 1), so that a
    /// word-level pattern can address every word of the input by one index. A word cut by truncation keeps its index.
    /// </summary>
    public ImmutableArray<int> WordIds { get; }

    /// <summary>The positions of [CLS] and every [SEP], in order (padding is not listed).</summary>
    public ImmutableArray<int> SpecialTokenPositions { get; }

    /// <summary>The number of real tokens, [CLS] and [SEP] included: N, where padding starts.</summary>
    public int RealLength { get; }

    /// <summary>The number of words with at least one token kept.</summary>
    public int WordCount { get; }

    /// <summary>How many word pieces truncation removed (0 when the input fitted).</summary>
    public int TruncatedTokens { get; }

    /// <summary>The number of tokens, padding included.</summary>
    public int Length => InputIds.Length;

    /// <summary>Equal when every token, segment, word and count is: the arrays compare by content, not by reference.</summary>
    public bool Equals(TokenizedInput? other) =>
        other is not null
        && RealLength == other.RealLength
        && WordCount == other.WordCount
        && TruncatedTokens == other.TruncatedTokens
        && InputIds.SequenceEqual(other.InputIds)
        && Tokens.SequenceEqual(other.Tokens, StringComparer.Ordinal)
        && TokenTypeIds.SequenceEqual(other.TokenTypeIds)
        && WordIds.SequenceEqual(other.WordIds)
        && SpecialTokenPositions.SequenceEqual(other.SpecialTokenPositions);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(RealLength);
        hash.Add(TruncatedTokens);
        foreach (var id in InputIds) hash.Add(id);
        foreach (var type in TokenTypeIds) hash.Add(type);
        return hash.ToHashCode();
    }

    /// <summary>This input padded with <paramref name="padId"/> to <paramref name="length"/> tokens.</summary>
    internal TokenizedInput PadTo(int length, int padId, string padToken)
    {
        if (length < Length)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"cannot pad an input of {Length} tokens to fewer ({length}).");
        if (length == Length) return this;
        var extra = length - Length;
        return new TokenizedInput(
            InputIds.AddRange(Enumerable.Repeat(padId, extra)),
            Tokens.AddRange(Enumerable.Repeat(padToken, extra)),
            TokenTypeIds.AddRange(Enumerable.Repeat(0, extra)),
            WordIds.AddRange(Enumerable.Repeat(-1, extra)),
            SpecialTokenPositions,
            RealLength,
            WordCount,
            TruncatedTokens);
    }
}
