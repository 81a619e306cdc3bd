// How encoded inputs are padded with [PAD]; mirrors HF's PaddingStrategy (DO_NOT_PAD, MAX_LENGTH, LONGEST).
namespace Sieve.Tokenization;

/// <summary>The length that <see cref="SieveTokenizer"/> pads an encoded input to.</summary>
public enum PaddingStrategy
{
    /// <summary>The default: no padding; every input keeps its own length.</summary>
    None,

    /// <summary>Pad every input to <see cref="EncodeOptions.MaxLength"/>.</summary>
    MaxLength,

    /// <summary>Pad every input of a batch to the longest one in it (a single input is left as it is).</summary>
    Longest,
}
