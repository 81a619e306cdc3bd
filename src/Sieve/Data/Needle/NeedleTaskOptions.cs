// The shape of the demo's synthetic long-range task (see NeedleTask): lengths, classes, vocabulary and where the
// needle may sit, with defaults that make a small window alone useless and one global token sufficient.
namespace Sieve.Data.Needle;

/// <summary>Options of <see cref="NeedleTask"/>; every value is validated by <see cref="Validate"/>.</summary>
public sealed record NeedleTaskOptions
{
    /// <summary>The longest sequence, [CLS] included; lengths are drawn uniformly from [MinLength, MaxLength].</summary>
    public int MaxLength { get; init; } = 256;

    /// <summary>The shortest sequence, [CLS] included.</summary>
    public int MinLength { get; init; } = 128;

    /// <summary>The number of needle symbols, hence of classes; chance accuracy is 1/Classes.</summary>
    public int Classes { get; init; } = 4;

    /// <summary>How many distinct filler ("haystack") symbols the rest of the sequence draws from.</summary>
    public int HaystackSymbols { get; init; } = 32;

    /// <summary>
    /// The needle never sits closer than this to [CLS], so a model whose [CLS] only sees a small window through a few
    /// layers cannot find it; the default is a quarter of the minimum length.
    /// </summary>
    public int MinDistance { get; init; } = 32;

    /// <summary>Throws with the offending option when the options cannot generate a task.</summary>
    public void Validate()
    {
        if (Classes < 2) throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "the task needs at least 2 classes.");
        if (HaystackSymbols < 1) throw new ArgumentOutOfRangeException(nameof(HaystackSymbols), HaystackSymbols, "the haystack needs at least 1 symbol.");
        if (MinDistance < 1) throw new ArgumentOutOfRangeException(nameof(MinDistance), MinDistance, "the needle must sit at least 1 position after [CLS].");
        if (MinLength <= MinDistance)
            throw new ArgumentOutOfRangeException(nameof(MinLength), MinLength, $"the minimum length must exceed the needle's minimum distance {MinDistance}.");
        if (MaxLength < MinLength)
            throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, $"the maximum length must be at least the minimum length {MinLength}.");
    }
}
