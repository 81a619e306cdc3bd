// AAA's Global_g (the axis pattern over the first g positions, §4.1); BigBird/Longformer global tokens, [CLS] first.
namespace Sieve.Patterns;

/// <summary>
/// Global_g: the first g rows attend to every key and every row attends to the first g keys. Keeps 2gN − g² entries
/// for N ≥ g. Spec: <c>global(g)</c>, g ≥ 0.
/// </summary>
public sealed class GlobalPattern : Pattern
{
    public GlobalPattern(int g)
    {
        if (g < 0) throw new ArgumentOutOfRangeException(nameof(g), g, $"global(g) needs g >= 0, got {g}");
        G = g;
    }

    /// <summary>How many leading positions are global.</summary>
    public int G { get; }

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, G);

    public override string ToString() => $"global({G})";

    private sealed class Rows(int length, int g) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys) =>
            keys.AddRange(0, row < g ? Length : Math.Min(g, Length));
    }
}
