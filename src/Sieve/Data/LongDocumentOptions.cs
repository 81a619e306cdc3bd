// Settings of the long-document task (LongDocumentGenerator): how long a document is, how far from [CLS] its one
// label-bearing sentence starts, and how many documents each split gets.
namespace Sieve.Data;

/// <summary>The shape and size of a generated long-document task; lengths count the model's wordpieces.</summary>
public sealed record LongDocumentOptions
{
    /// <summary>Wordpieces of a whole document with [CLS] and [SEP] at most (default 2,048); filler fills it to within one sentence.</summary>
    public int Tokens { get; init; } = 2048;

    /// <summary>The needle starts at this token or later (default 512: past what a 512-token BERT reads).</summary>
    public int MinOffset { get; init; } = 512;

    /// <summary>Training documents (default 2,000).</summary>
    public int TrainCount { get; init; } = 2000;

    /// <summary>Dev documents (default 500).</summary>
    public int DevCount { get; init; } = 500;

    /// <summary>Needle sentences shorter than this many words are not used (default 6): SST-2's training file is mostly phrases.</summary>
    public int MinNeedleWords { get; init; } = 6;

    /// <summary>The seed of <see cref="System.Random"/>; the same seed and sources give the same files.</summary>
    public int Seed { get; init; }

    /// <summary>Room left after the needle's earliest start for the needle itself and a sentence of filler.</summary>
    public const int MinRoomAfterOffset = 64;

    /// <summary>Checks the settings; the message says which one is wrong and what is allowed.</summary>
    public void Validate()
    {
        if (MinOffset < 1) throw new ArgumentException($"the minimum needle offset is {MinOffset}; it must be at least 1 ([CLS] is token 0).");
        if (Tokens < MinOffset + MinRoomAfterOffset)
            throw new ArgumentException($"documents of {Tokens} tokens leave no room for a needle at token {MinOffset} or later; give at least {MinOffset + MinRoomAfterOffset} tokens or a smaller minimum offset.");
        if (TrainCount < 1 || DevCount < 1) throw new ArgumentException($"asked for {TrainCount} training and {DevCount} dev documents; each split needs at least 1.");
        if (MinNeedleWords < 1) throw new ArgumentException($"the minimum needle length is {MinNeedleWords} words; it must be at least 1.");
    }
}
