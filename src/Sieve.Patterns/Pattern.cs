// The pattern layer's one abstraction (DESIGN.md §1): which keys each query row may attend to, enumerated row by row.
// Patterns are immutable values that print as their spec string; two patterns are equal when their specs are.
namespace Sieve.Patterns;

/// <summary>
/// An attention pattern: given a <see cref="PatternContext"/>, it enumerates for every query row of the real length the
/// sorted, unique key positions that row may attend to. Compose with <c>+</c> (union), <c>&amp;</c> (intersection) and
/// <c>-</c> (difference). <see cref="ToString"/> gives the canonical spec, which parses back to an equal pattern.
/// </summary>
public abstract class Pattern : IEquatable<Pattern>
{
    /// <summary>Binds the pattern to one example, layer and head; the result enumerates its rows.</summary>
    public abstract PatternRows Bind(PatternContext context);

    /// <summary>The canonical spec string of this pattern, e.g. <c>local(2)+global(1)</c>.</summary>
    public abstract override string ToString();

    /// <summary>
    /// Binding precedence when printed: 0 for a union or difference, 1 for an intersection, 2 for an atom. The printer
    /// puts parentheses around an operand that binds more loosely than its parent.
    /// </summary>
    internal virtual int Precedence => 2;

    /// <summary>
    /// This pattern as used at (<paramref name="layer"/>, <paramref name="head"/>): every schedule inside it replaced by
    /// the entry it selects there. Patterns without a schedule return themselves; models compare the results to share
    /// layouts between layers and heads.
    /// </summary>
    public virtual Pattern ForLayerHead(int layer, int head) => this;

    /// <summary>
    /// Whether binding draws from <see cref="SeededRandom"/>, so that the layout differs between layers and heads even
    /// where the spec is the same. Models share one layout between layers or heads only when this is false.
    /// </summary>
    public virtual bool IsRandom => false;

    /// <summary>
    /// The optional context fields binding reads (a parse, static embeddings); <see cref="ContextInputs.None"/> for
    /// patterns that need only the lengths. Models fill what they can before binding; drivers refuse early what they cannot.
    /// </summary>
    public virtual ContextInputs Inputs => ContextInputs.None;

    public static Pattern operator +(Pattern left, Pattern right) => new UnionPattern(left, right);

    public static Pattern operator &(Pattern left, Pattern right) => new IntersectionPattern(left, right);

    public static Pattern operator -(Pattern left, Pattern right) => new DifferencePattern(left, right);

    public bool Equals(Pattern? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => obj is Pattern other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>Prints an operand, in parentheses when it binds more loosely than <paramref name="parentPrecedence"/>.</summary>
    internal static string Operand(Pattern operand, int parentPrecedence) =>
        operand.Precedence < parentPrecedence ? $"({operand})" : operand.ToString();
}
