// Every deterministic pattern against a dense predicate written from its definition (METHODS.md §4.1, §5, §6, §7,
// Appendix A), on small lengths including N = 0 and 1 and padded contexts.
namespace Sieve.Patterns.Tests;

public class BruteForceTests
{
    public static readonly int[] Lengths = [0, 1, 2, 3, 5, 8, 13, 17, 33];

    private static bool PowerOfTwo(int x) => x > 0 && (x & (x - 1)) == 0;

    // spec, predicate (n, i, j) written from the paper's formula, not from the implementation.
    public static TheoryData<string> Specs => [.. Cases.Keys];

    private static readonly Dictionary<string, Func<int, int, int, bool>> Cases = new()
    {
        ["full"] = (n, i, j) => true,
        ["local(0)"] = (n, i, j) => i == j,
        ["local(2)"] = (n, i, j) => Math.Abs(i - j) <= 2,
        ["global(2)"] = (n, i, j) => i < 2 || j < 2,
        ["dilated(2,3)"] = (n, i, j) => Math.Abs(i - j) % 3 == 0 && Math.Abs(i - j) / 3 <= 2,
        ["dilated(0,4)"] = (n, i, j) => i == j,
        ["diagonal(0,3,4)"] = (n, i, j) => Math.Abs(i - j) is 0 or 3 or 4,
        ["diagonal(5)"] = (n, i, j) => Math.Abs(i - j) == 5,
        ["axis(rows=[1,4],cols=[0,2,20])"] = (n, i, j) => i is 1 or 4 || j is 0 or 2 or 20,
        ["axis(rows=[],cols=[3])"] = (n, i, j) => j == 3,
        ["longformer(4,2,1)"] = (n, i, j) => i < 1 || j < 1 || (Math.Abs(i - j) % 2 == 0 && Math.Abs(i - j) <= 4),
        ["longformer(2,1,0)"] = (n, i, j) => Math.Abs(i - j) <= 1,
        ["strided(3)"] = (n, i, j) => j <= i && (i - j <= 3 || (i - j) % 3 == 0),
        ["strided(1)"] = (n, i, j) => j <= i,
        ["strided(4,causal=false)"] = (n, i, j) => Math.Abs(i - j) <= 4 || Math.Abs(i - j) % 4 == 0,
        ["fixed(4,1)"] = (n, i, j) => j <= i && (i / 4 == j / 4 || j % 4 >= 3),
        ["fixed(5,2)"] = (n, i, j) => j <= i && (i / 5 == j / 5 || j % 5 >= 3),
        ["fixed(3,0)"] = (n, i, j) => j <= i && i / 3 == j / 3,
        ["fixed(4,2,causal=false)"] = (n, i, j) => i / 4 == j / 4 || j % 4 >= 2,
        ["logsparse"] = (n, i, j) => i == j || (j < i && PowerOfTwo(i - j)),
        ["logsparse(causal=false)"] = (n, i, j) => i == j || PowerOfTwo(Math.Abs(i - j)),
        ["star"] = (n, i, j) => Math.Abs(i - j) <= 1 || i == 0 || j == 0,
        ["bigbird(1,1,0)"] = (n, i, j) => i < 1 || j < 1 || Math.Abs(i - j) <= 1,
        // Blocked BigBird without random blocks: first/last block global, middle blocks see the 3-block window.
        ["bigbird_blocks(3,0)"] = (n, i, j) =>
        {
            int last = (n - 1) / 3, qi = i / 3, kj = j / 3;
            return qi == 0 || qi == last || kj == 0 || kj == last || Math.Abs(qi - kj) <= 1;
        },
        ["local(1)+global(1)-diagonal(0)"] = (n, i, j) => i != j && (Math.Abs(i - j) <= 1 || i == 0 || j == 0),
        ["(local(3)&strided(2,causal=false))+axis(rows=[2],cols=[])"] = (n, i, j) =>
            (Math.Abs(i - j) <= 3 && (Math.Abs(i - j) <= 2 || Math.Abs(i - j) % 2 == 0)) || i == 2,
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Layout_matches_the_definition(string spec)
    {
        var pattern = PatternSpec.Parse(spec);
        var allowed = Cases[spec];
        foreach (int n in Lengths)
            foreach (int padded in new[] { n, n + 3 })
            {
                var context = new PatternContext(n) { PaddedLength = padded };
                Dense.Equal(Dense.From(n, padded, (i, j) => allowed(n, i, j)), Dense.Of(pattern, context), $"{spec} at N={n}, padded {padded}");
            }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Rows_are_sorted_unique_and_in_range(string spec)
    {
        var pattern = PatternSpec.Parse(spec);
        var layout = CsrLayout.Build(pattern, new PatternContext(29) { PaddedLength = 32 }, EmptyRowPolicy.Keep);
        for (int row = 0; row < layout.PaddedLength; row++)
        {
            var keys = layout.Row(row);
            for (int m = 0; m < keys.Length; m++)
            {
                Assert.InRange(keys[m], 0, 28);
                if (m > 0) Assert.True(keys[m - 1] < keys[m], $"{spec}: row {row} not strictly increasing");
            }
            if (row >= 29) Assert.Equal(0, keys.Length);
        }
    }

    [Fact]
    public void Global_tokens_special_uses_the_special_positions()
    {
        int[] special = [0, 4, 9, 40];
        var context = new PatternContext(10) { PaddedLength = 12, SpecialTokens = special };
        var expected = Dense.From(10, 12, (i, j) => special.Contains(i) || special.Contains(j));
        Dense.Equal(expected, Dense.Of(PatternSpec.Parse("global(tokens=special)"), context), "global(tokens=special)");
    }

    [Fact]
    public void Global_tokens_segment0_uses_the_first_segment()
    {
        int[] segments = [0, 0, 0, 0, 1, 1, 1, 1];
        var context = new PatternContext(7) { SegmentIds = segments };
        var expected = Dense.From(7, 7, (i, j) => segments[i] == 0 || segments[j] == 0);
        Dense.Equal(expected, Dense.Of(PatternSpec.Parse("global(tokens=segment0)"), context), "global(tokens=segment0)");
    }

    [Theory]
    [InlineData("global(tokens=special)", "PatternContext.SpecialTokens")]
    [InlineData("global(tokens=segment0)", "PatternContext.SegmentIds")]
    public void Global_tokens_without_the_context_field_says_which_field(string spec, string field)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Dense.Of(PatternSpec.Parse(spec), new PatternContext(5)));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
