// One text (or sentence pair) to encode, with the line of the file it came from (`sieve encode --input`).
namespace Sieve.Data;

/// <summary>A text to encode and, for a pair, its second text; <paramref name="Line"/> is the 1-based line in its file.</summary>
public sealed record TextInput(int Line, string Text, string? Pair);
