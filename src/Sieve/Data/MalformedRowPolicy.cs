// What a reader does with a row it cannot read (too few columns, an unknown label, an unparsable score). The issue
// asks for an error naming file and line by default, and for skipping and counting only when the user asks for it.
namespace Sieve.Data;

/// <summary>The treatment of a malformed data row.</summary>
public enum MalformedRowPolicy
{
    /// <summary>Throw a <see cref="DataFormatException"/> naming the file, the line and the problem (the default).</summary>
    Error,

    /// <summary>Leave the row out and record it, with its reason, in <see cref="SplitData.Skipped"/>.</summary>
    Skip,
}
