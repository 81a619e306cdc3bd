// Intersection of patterns (element-wise AND), spec form `a & b`.
namespace Sieve.Patterns;

/// <summary>Allows a key when both operands allow it. Spec: <c>a &amp; b</c>; binds tighter than <c>+</c> and <c>-</c>.</summary>
public sealed class IntersectionPattern(Pattern left, Pattern right) : Pattern
{
    public Pattern Left { get; } = left;

    public Pattern Right { get; } = right;

    internal override int Precedence => 1;

    public override PatternRows Bind(PatternContext context) =>
        new MergedRows(Left.Bind(context), Right.Bind(context), SortedMerge.Intersection);

    public override string ToString() => $"{Operand(Left, 1)}&{Operand(Right, 2)}";
}
