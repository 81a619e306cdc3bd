// Maximum length, truncation and padding for one call to SieveTokenizer; mirrors the arguments of HF's
// PreTrainedTokenizer.__call__ (max_length, truncation, padding).
namespace Sieve.Tokenization;

/// <summary>How <see cref="SieveTokenizer"/> fits encoded inputs to a length. The defaults are HF's for BERT.</summary>
public sealed record EncodeOptions
{
    /// <summary>The defaults: at most 512 tokens, longest-first truncation, no padding.</summary>
    public static EncodeOptions Default { get; } = new();

    /// <summary>Every token of any input, however long: to count an input's tokens (lengths, budgets), not to run a model.</summary>
    public static EncodeOptions Untruncated { get; } = new() { MaxLength = int.MaxValue, Truncation = TruncationStrategy.None };

    /// <summary>
    /// The most tokens an input may have, [CLS] and [SEP] included. Defaults to 512, BERT's number of positions.
    /// At least 2 ([CLS] and [SEP]); a sentence pair needs at least 3.
    /// </summary>
    public int MaxLength
    {
        get;
        init
        {
            if (value < 2)
                throw new ArgumentOutOfRangeException(nameof(MaxLength), value, $"MaxLength must be at least 2 (room for [CLS] and [SEP]), got {value}.");
            field = value;
        }
    } = 512;

    /// <summary>What happens to an input longer than <see cref="MaxLength"/>. Defaults to longest-first.</summary>
    public TruncationStrategy Truncation
    {
        get;
        init
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(Truncation), value, $"unknown truncation strategy {value}; use one of {string.Join(", ", Enum.GetNames<TruncationStrategy>())}.");
            field = value;
        }
    } = TruncationStrategy.LongestFirst;

    /// <summary>The length inputs are padded to. Defaults to none.</summary>
    public PaddingStrategy Padding
    {
        get;
        init
        {
            if (!Enum.IsDefined(value))
                throw new ArgumentOutOfRangeException(nameof(Padding), value, $"unknown padding strategy {value}; use one of {string.Join(", ", Enum.GetNames<PaddingStrategy>())}.");
            field = value;
        }
    } = PaddingStrategy.None;
}
