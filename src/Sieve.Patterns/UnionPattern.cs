// Union of patterns (AAA Eq. 8: element-wise OR), spec form `a + b`.
namespace Sieve.Patterns;

/// <summary>Allows a key when either operand allows it (AAA Eq. 8). Spec: <c>a + b</c>.</summary>
public sealed class UnionPattern(Pattern left, Pattern right) : Pattern
{
    public Pattern Left { get; } = left;

    public Pattern Right { get; } = right;

    internal override int Precedence => 0;

    public override Pattern ForLayerHead(int layer, int head)
    {
        Pattern left = Left.ForLayerHead(layer, head), right = Right.ForLayerHead(layer, head);
        return ReferenceEquals(left, Left) && ReferenceEquals(right, Right) ? this : new UnionPattern(left, right);
    }

    public override bool IsRandom => Left.IsRandom || Right.IsRandom;

    public override ContextInputs Inputs => Left.Inputs | Right.Inputs;

    public override PatternRows Bind(PatternContext context) =>
        new MergedRows(Left.Bind(context), Right.Bind(context), SortedMerge.Union);

    // `+` and `-` share a level and associate to the left, so a right operand of that level needs parentheses.
    public override string ToString() => $"{Operand(Left, 0)}+{Operand(Right, 1)}";
}
