// Longformer's task-chosen global attention (Beltagy et al. 2020 §3.1; METHODS.md §6): the global set is read from the
// input ([CLS]/[SEP] positions, or the question segment) instead of being the first g positions.
namespace Sieve.Patterns;

/// <summary>
/// An axis pattern whose rows and columns are a set G taken from the input: i ∈ G attends to every key and every query
/// attends to every j ∈ G. Spec: <c>global(tokens=special)</c> (the positions in <see cref="PatternContext.SpecialTokens"/>)
/// or <c>global(tokens=segment0)</c> (the tokens with segment id 0 in <see cref="PatternContext.SegmentIds"/>). Binding
/// fails with a message naming the missing context field. Positions at or beyond N are ignored.
/// </summary>
public sealed class GlobalTokensPattern(GlobalTokenSet tokens) : Pattern
{
    /// <summary>Which input-driven set is global.</summary>
    public GlobalTokenSet Tokens { get; } = tokens;

    /// <summary>The spec spelling of a token set: the enum name in lower case.</summary>
    internal static string SpecName(GlobalTokenSet tokens) => tokens.ToString().ToLowerInvariant();

    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = context.Length;
        var global = new List<int>();
        if (Tokens == GlobalTokenSet.Special)
        {
            var special = context.SpecialTokens
                ?? throw new InvalidOperationException($"{this} needs PatternContext.SpecialTokens (the [CLS]/[SEP] positions); set it when building the context, or use global(g) for the first g positions.");
            foreach (int position in special)
                if (position >= 0 && position < n) global.Add(position);
        }
        else
        {
            var segments = context.SegmentIds
                ?? throw new InvalidOperationException($"{this} needs PatternContext.SegmentIds (the token type of every token); set it when building the context, or use global(g) for the first g positions.");
            if (segments.Count < n)
                throw new InvalidOperationException($"{this} needs a segment id for each of the {n} tokens, got {segments.Count}.");
            for (int position = 0; position < n; position++)
                if (segments[position] == 0) global.Add(position);
        }
        int[] sorted = [.. global.Order().Distinct()];
        var isGlobal = new bool[n];
        foreach (int position in sorted) isGlobal[position] = true;
        return new Rows(n, sorted, isGlobal);
    }

    public override string ToString() => $"global(tokens={SpecName(Tokens)})";

    private sealed class Rows(int length, int[] global, bool[] isGlobal) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            if (isGlobal[row]) keys.AddRange(0, Length);
            else keys.AddRange(global);
        }
    }
}
