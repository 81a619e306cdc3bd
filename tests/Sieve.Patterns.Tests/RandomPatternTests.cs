// The random patterns: AAA's Random_r (exact size 2rN capped at N², uniform, O(rN) at N = 65,536) and both BigBird
// forms (structure from Breaking BERT §2.3 and the BigBird code, METHODS.md §7), deterministic in (seed, example,
// layer, head) and changing with each.
namespace Sieve.Patterns.Tests;

public class RandomPatternTests
{
    private static CsrLayout Layout(string spec, PatternContext context) =>
        CsrLayout.Build(PatternSpec.Parse(spec), context, EmptyRowPolicy.Keep);

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(1, 1, 1)]
    [InlineData(5, 0, 0)]
    [InlineData(10, 1, 20)]
    [InlineData(37, 2, 148)]
    [InlineData(10, 5, 100)]
    [InlineData(6, 9, 36)]
    public void Random_keeps_exactly_min_2rN_N_squared(int n, int r, long expected)
    {
        Assert.Equal(expected, Layout($"random({r},seed=3)", new PatternContext(n)).Nnz);
        Assert.Equal(expected, new RandomPattern(r).CellCount(n));
    }

    [Fact]
    public void Random_at_65536_tokens_samples_without_touching_N_squared_cells()
    {
        var layout = Layout("random(1,seed=1)", new PatternContext(65_536));
        Assert.Equal(2L * 65_536, layout.Nnz);
    }

    [Fact]
    public void Random_is_deterministic_and_changes_with_every_coordinate()
    {
        var pattern = "random(2,seed=7)";
        var context = new PatternContext(30) { Seed = 11, Example = 3, Layer = 4, Head = 5 };
        var baseline = Dense.Of(PatternSpec.Parse(pattern), context);
        Assert.True(Dense.SameAs(baseline, Dense.Of(PatternSpec.Parse(pattern), context)));
        PatternContext[] changed =
        [
            context with { Seed = 12 },
            context with { Example = 4 },
            context with { Layer = 5 },
            context with { Head = 6 },
        ];
        foreach (var other in changed)
            Assert.False(Dense.SameAs(baseline, Dense.Of(PatternSpec.Parse(pattern), other)), $"no change for {other}");
        Assert.False(Dense.SameAs(baseline, Dense.Of(PatternSpec.Parse("random(2,seed=8)"), context)), "no change with the pattern seed");
    }

    [Fact]
    public void Random_cells_are_uniform()
    {
        // N = 8, r = 1: 16 of 64 cells, so each cell is kept with probability 1/4. Over 4,000 examples the count per
        // cell is Binomial(4000, 0.25): mean 1000, sd ≈ 27.4; allow 6 sd.
        const int n = 8, examples = 4000;
        var counts = new int[n, n];
        var pattern = new RandomPattern(1, seed: 5);
        for (int example = 0; example < examples; example++)
        {
            var dense = Dense.Of(pattern, new PatternContext(n) { Example = example });
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (dense[i, j]) counts[i, j]++;
        }
        foreach (int count in counts) Assert.InRange(count, 1000 - 165, 1000 + 165);
    }

    [Theory]
    [InlineData(0, 1, 2, 20)]
    [InlineData(2, 0, 3, 17)]
    [InlineData(1, 2, 40, 9)]
    [InlineData(3, 1, 1, 1)]
    public void BigBird_is_global_plus_window_plus_r_random_keys_outside_the_window(int g, int w, int r, int n)
    {
        var layout = Layout($"bigbird({g},{w},{r},seed=2)", new PatternContext(n) { Example = 1 });
        for (int i = 0; i < n; i++)
        {
            var keys = layout.Row(i).ToArray();
            if (i < g)
            {
                Assert.Equal(n, keys.Length);
                continue;
            }
            for (int j = 0; j < Math.Min(g, n); j++) Assert.Contains(j, keys);
            for (int j = Math.Max(0, i - w); j <= Math.Min(n - 1, i + w); j++) Assert.Contains(j, keys);
            int window = Math.Min(n - 1, i + w) - Math.Max(0, i - w) + 1;
            int extra = keys.Count(j => Math.Abs(i - j) > w && j >= g);
            int expected = Math.Min(r, n - window);
            // Random keys may fall on global columns; those are not counted as extra, so the count is at most r.
            Assert.InRange(extra, g == 0 ? expected : 0, expected);
        }
    }

    [Theory]
    [InlineData(4, 2, 40)]
    [InlineData(3, 1, 31)]
    [InlineData(2, 9, 20)]
    [InlineData(5, 1, 12)]
    public void BigBird_blocks_follow_the_ITC_block_structure(int b, int r, int n)
    {
        var layout = Layout($"bigbird_blocks({b},{r},seed=4)", new PatternContext(n) { Layer = 2 });
        int blocks = (n + b - 1) / b, last = blocks - 1;
        for (int q = 0; q < blocks; q++)
        {
            var keyBlocks = layout.Row(q * b).ToArray().Select(j => j / b).Distinct().ToArray();
            // Every row of a query block has the same keys, and whole key blocks.
            for (int i = q * b; i < Math.Min(n, (q + 1) * b); i++) Assert.Equal(layout.Row(q * b).ToArray(), layout.Row(i).ToArray());
            Assert.Equal(keyBlocks.Sum(k => Math.Min(n, (k + 1) * b) - (k * b)), layout.Row(q * b).Length);
            if (q == 0 || q == last)
            {
                Assert.Equal(blocks, keyBlocks.Length);
                continue;
            }
            int[] fixedBlocks = [0, last, q - 1, q, q + 1];
            Assert.All(fixedBlocks, k => Assert.Contains(k, keyBlocks));
            var randomBlocks = keyBlocks.Except(fixedBlocks).ToArray();
            int candidates = Enumerable.Range(1, Math.Max(0, blocks - 2)).Count(k => Math.Abs(k - q) > 1);
            Assert.Equal(Math.Min(r, candidates), randomBlocks.Length);
            Assert.All(randomBlocks, k => Assert.InRange(k, 1, last - 1));
        }
    }

    [Fact]
    public void BigBird_forms_are_deterministic_and_resampled_per_head()
    {
        foreach (string spec in new[] { "bigbird(1,1,2,seed=1)", "bigbird_blocks(2,2,seed=1)" })
        {
            var context = new PatternContext(40) { Head = 1 };
            var baseline = Dense.Of(PatternSpec.Parse(spec), context);
            Assert.True(Dense.SameAs(baseline, Dense.Of(PatternSpec.Parse(spec), context)), spec);
            Assert.False(Dense.SameAs(baseline, Dense.Of(PatternSpec.Parse(spec), context with { Head = 2 })), spec);
        }
    }
}
