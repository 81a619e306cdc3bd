// A pattern bound to one context (example, layer, head, length): the row enumerator every layout is built from.
namespace Sieve.Patterns;

/// <summary>
/// A pattern bound to one <see cref="PatternContext"/>. Any per-example work (sampling random keys, walking a parse)
/// happens once when binding; <see cref="AppendRow"/> is then called for rows 0..Length−1 in any order.
/// </summary>
public abstract class PatternRows
{
    protected PatternRows(int length) => Length = length;

    /// <summary>The real length N: rows and keys lie in [0, N).</summary>
    public int Length { get; }

    /// <summary>Appends the allowed keys of <paramref name="row"/> to <paramref name="keys"/>, sorted and unique.</summary>
    public abstract void AppendRow(int row, KeyBuffer keys);
}
