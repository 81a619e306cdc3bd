// Intersection of patterns (element-wise AND), spec form `a & b`.
namespace Sieve.Patterns;

/// <summary>Allows a key when both operands allow it. Spec: <c>a &amp; b</c>; binds tighter than <c>+</c> and <c>-</c>.</summary>
public sealed class IntersectionPattern(Pattern left, Pattern right) : Pattern
{
    public Pattern Left { get; } = left;

    public Pattern Right { get; } = right;

    internal override int Precedence => 1;

    public override Pattern ForLayerHead(int layer, int head)
    {
        Pattern left = Left.ForLayerHead(layer, head), right = Right.ForLayerHead(layer, head);
        return ReferenceEquals(left, Left) && ReferenceEquals(right, Right) ? this : new IntersectionPattern(left, right);
    }

    public override bool IsRandom => Left.IsRandom || Right.IsRandom;

    public override ContextInputs Inputs => Left.Inputs | Right.Inputs;

    public override PatternRows Bind(PatternContext context) =>
        new MergedRows(Left.Bind(context), Right.Bind(context), SortedMerge.Intersection);

    public override string ToString() => $"{Operand(Left, 1)}&{Operand(Right, 2)}";
}
