// How an input longer than the maximum length is cut; mirrors HF's TruncationStrategy (LONGEST_FIRST, DO_NOT_TRUNCATE).
namespace Sieve.Tokenization;

/// <summary>What <see cref="SieveTokenizer"/> does when the word pieces and special tokens exceed the maximum length.</summary>
public enum TruncationStrategy
{
    /// <summary>
    /// The default, as in HF: remove the last word piece of the longer sequence, one at a time, until the input fits;
    /// on a tie the second sequence loses the piece (as HF's <c>truncate_sequences</c> does).
    /// </summary>
    LongestFirst,

    /// <summary>Never cut: an input that does not fit is an error that says by how much it is too long.</summary>
    None,
}
