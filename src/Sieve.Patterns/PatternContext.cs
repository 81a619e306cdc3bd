// Everything a pattern may look at for one attention map: the real and padded lengths, where the map sits
// (example, layer, head), the seed, and optional token-level inputs for input-dependent patterns.
namespace Sieve.Patterns;

/// <summary>
/// The context a pattern is bound to. Only <see cref="Length"/> is required; input-dependent patterns (syntax,
/// lexical, input-driven global sets) say which optional field they need and fail clearly when it is missing.
/// </summary>
public sealed record PatternContext
{
    /// <summary>Creates a context for one example of real length <paramref name="length"/>.</summary>
    public PatternContext(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        PaddedLength = length;
    }

    /// <summary>N, the number of real (non-padding) tokens. Patterns only ever allow keys and rows in [0, N).</summary>
    public int Length { get; }

    /// <summary>The padded length of the batch (≥ N); rows and keys in [N, PaddedLength) are padding and always empty.</summary>
    public int PaddedLength
    {
        get;
        init
        {
            if (value < Length)
                throw new ArgumentOutOfRangeException(nameof(PaddedLength), value, $"the padded length must be at least the real length {Length}.");
            field = value;
        }
    }

    /// <summary>The layer index (0-based); schedules and per-layer randomness use it.</summary>
    public int Layer { get; init; }

    /// <summary>The head index (0-based); schedules and per-head randomness use it.</summary>
    public int Head { get; init; }

    /// <summary>The example's index in the data set; random patterns are resampled per example.</summary>
    public int Example { get; init; }

    /// <summary>The run's seed; a pattern's own seed argument, when it has one, is mixed with it.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The word index of every token (length N), −1 for special tokens such as [CLS] and [SEP]. Word-level patterns
    /// (syntax, lexical) map their word graph onto word pieces through it.
    /// </summary>
    public IReadOnlyList<int>? WordIds { get; init; }

    /// <summary>Positions of the special tokens ([CLS], [SEP]) in the sequence, for input-driven global sets.</summary>
    public IReadOnlyList<int>? SpecialTokens { get; init; }

    /// <summary>The segment (token type) of every token (length N): 0 for the first sentence or question, 1 for the second.</summary>
    public IReadOnlyList<int>? SegmentIds { get; init; }

    /// <summary>
    /// The dependency head of every word (0-based word index, −1 for a root), as read from a CoNLL-U parse. For a
    /// sentence pair, the words of both sentences in order, with no arc across the pair.
    /// </summary>
    public IReadOnlyList<int>? DependencyHeads { get; init; }

    /// <summary>A static (non-contextual) embedding per token (length N), for the lexical-similarity pattern.</summary>
    public IReadOnlyList<float[]>? TokenEmbeddings { get; init; }
}
