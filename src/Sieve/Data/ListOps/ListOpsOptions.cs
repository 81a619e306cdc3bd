// Settings of the ListOps generator. The defaults are LRA's (listops.py flags, METHODS.md §15.1); a demo will want
// short expressions, e.g. MinLength 50, MaxLength 300.
namespace Sieve.Data.ListOps;

/// <summary>How many ListOps expressions to generate and of what shape. Lengths count tokens without parentheses.</summary>
public sealed record ListOpsOptions
{
    /// <summary>Deepest operator nesting; a node at this depth is always a digit. LRA: 10.</summary>
    public int MaxDepth { get; init; } = 10;

    /// <summary>Most arguments per operator (at least 2 are drawn). LRA: 10.</summary>
    public int MaxArguments { get; init; } = 10;

    /// <summary>Keep an expression only if its length is greater than this (strict, as LRA). LRA: 500.</summary>
    public int MinLength { get; init; } = 500;

    /// <summary>Keep an expression only if its length is less than this (strict, as LRA). LRA: 2000.</summary>
    public int MaxLength { get; init; } = 2000;

    /// <summary>Training examples. LRA: 96,000.</summary>
    public int TrainCount { get; init; } = 96_000;

    /// <summary>Validation examples. LRA: 2,000.</summary>
    public int ValidationCount { get; init; } = 2_000;

    /// <summary>Test examples. LRA: 2,000.</summary>
    public int TestCount { get; init; } = 2_000;

    /// <summary>The seed of <see cref="System.Random"/>; the same seed gives the same files on every run and machine.</summary>
    public int Seed { get; init; }

    /// <summary>Checks the settings; the message says which one is wrong and what is allowed.</summary>
    public void Validate()
    {
        if (MaxDepth < 1) throw new ArgumentException($"MaxDepth is {MaxDepth}; it must be at least 1.");
        if (MaxArguments < 2) throw new ArgumentException($"MaxArguments is {MaxArguments}; an operator needs at least 2 arguments.");
        if (MinLength < 0) throw new ArgumentException($"MinLength is {MinLength}; it must be at least 0.");
        if (MaxLength - MinLength < 2)
            throw new ArgumentException($"no length lies strictly between MinLength {MinLength} and MaxLength {MaxLength}; widen the range.");
        if (TrainCount < 0 || ValidationCount < 0 || TestCount < 0)
            throw new ArgumentException("example counts must not be negative.");
        if (MaxDepth == 1 && MinLength >= 1)
            throw new ArgumentException($"with MaxDepth 1 every expression is a single digit (length 1); MinLength {MinLength} excludes them all.");
    }
}
