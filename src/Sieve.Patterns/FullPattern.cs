// Full (dense) attention: the baseline every sparse pattern is compared with.
namespace Sieve.Patterns;

/// <summary>Every query attends to every real key: |B| = N². Spec: <c>full</c>.</summary>
public sealed class FullPattern : Pattern
{
    public override PatternRows Bind(PatternContext context) => new Rows(context.Length);

    public override string ToString() => "full";

    private sealed class Rows(int length) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys) => keys.AddRange(0, Length);
    }
}
