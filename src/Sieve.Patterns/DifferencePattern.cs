// Difference of patterns (a AND NOT b), spec form `a - b`.
namespace Sieve.Patterns;

/// <summary>Allows a key when the left operand allows it and the right one does not. Spec: <c>a - b</c>.</summary>
public sealed class DifferencePattern(Pattern left, Pattern right) : Pattern
{
    public Pattern Left { get; } = left;

    public Pattern Right { get; } = right;

    internal override int Precedence => 0;

    public override Pattern ForLayerHead(int layer, int head)
    {
        Pattern left = Left.ForLayerHead(layer, head), right = Right.ForLayerHead(layer, head);
        return ReferenceEquals(left, Left) && ReferenceEquals(right, Right) ? this : new DifferencePattern(left, right);
    }

    public override bool IsRandom => Left.IsRandom || Right.IsRandom;

    public override ContextInputs Inputs => Left.Inputs | Right.Inputs;

    public override PatternRows Bind(PatternContext context) =>
        new MergedRows(Left.Bind(context), Right.Bind(context), SortedMerge.Difference);

    public override string ToString() => $"{Operand(Left, 0)}-{Operand(Right, 1)}";
}
