// Tests of AAA Eq. 9 and SparseBERT's max-length sparsity against the closed forms of METHODS.md §1.2.

namespace Sieve.Patterns.Tests;

public sealed class SparsityTests
{
    private static CsrLayout Layout(Pattern pattern, int n) => CsrLayout.Build(pattern, new PatternContext(n));

    [Fact]
    public void Local2PlusGlobal2_AtLength40_Is0Point7875()
    {
        var accumulator = new SparsityAccumulator();
        accumulator.Add(Layout(new LocalPattern(2) + new GlobalPattern(2), 40));
        Assert.Equal(9 * 40 - 20, accumulator.TotalNnz);
        Assert.Equal(0.7875, accumulator.Sparsity, 12);
    }

    [Fact]
    public void Eq9_AveragesThePerExampleTerms_OnRealLengths()
    {
        // Local₂ keeps 5N − 6 (AAA footnote 5); Eq. 9 averages 1 − |B|/N_i² over the examples.
        var accumulator = new SparsityAccumulator(maxLength: 128);
        foreach (int n in new[] { 40, 128, 7 }) accumulator.Add(Layout(new LocalPattern(2), n));
        double expected = new[] { 40, 128, 7 }.Average(n => 1 - (5.0 * n - 6) / ((double)n * n));
        Assert.Equal(expected, accumulator.Sparsity, 12);
        Assert.Equal(3, accumulator.Count);

        // SparseBERT divides by Nmax² whatever the real length.
        double maxLength = 1 - (194.0 + 634 + 29) / (3.0 * 128 * 128);
        Assert.Equal(maxLength, accumulator.MaxLengthSparsity, 12);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(128)]
    [InlineData(512)]
    public void MaxLengthDefinition_OfLocal2AtFullLength_Is1Minus5OverNPlus6OverNSquared(int n)
    {
        var accumulator = new SparsityAccumulator(maxLength: n);
        accumulator.Add(5L * n - 6, n);
        Assert.Equal(1 - 5.0 / n + 6.0 / ((double)n * n), accumulator.MaxLengthSparsity, 12);
        Assert.Equal(accumulator.Sparsity, accumulator.MaxLengthSparsity, 12);
    }

    [Fact]
    public void Accumulator_RejectsImpossibleMaps_AndSaysWhy()
    {
        var accumulator = new SparsityAccumulator(maxLength: 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(17, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(-1, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(0, 0));
        Assert.Contains("Nmax = 8", Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add(9, 9)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => accumulator.Sparsity);
        Assert.Throws<InvalidOperationException>(() => new SparsityAccumulator().MaxLengthSparsity);
    }

    [Fact]
    public void Stats_OfLocal2_HaveTheClosedFormCountAndDegrees()
    {
        var stats = PatternStats.Of(Layout(new LocalPattern(2), 10));
        Assert.Equal(new PatternStats(10, 44, 1 - 44 / 100.0, 3, 5, 0), stats);
    }

    [Fact]
    public void Stats_CountEmptyRows_BeforeThePolicyAndDegreesAfterIt()
    {
        // local(1) & global(1): row 0 keeps {0, 1}, row 1 keeps {0}, rows 2.. keep nothing.
        var pattern = new LocalPattern(1) & new GlobalPattern(1);
        var kept = PatternStats.Of(CsrLayout.Build(pattern, new PatternContext(6), EmptyRowPolicy.Keep));
        Assert.Equal(new PatternStats(6, 3, 1 - 3 / 36.0, 0, 2, 4), kept);
        var mended = PatternStats.Of(CsrLayout.Build(pattern, new PatternContext(6), EmptyRowPolicy.AddDiagonal));
        Assert.Equal(new PatternStats(6, 7, 1 - 7 / 36.0, 1, 2, 4), mended);
    }

    [Fact]
    public void BuildAll_InParallel_EqualsSequentialBuildsPerLayerAndHead()
    {
        var pattern = new LocalPattern(1) + new HeadScatterPattern();
        var context = new PatternContext(50) { PaddedLength = 56, Seed = 7, Example = 3 };
        var layouts = PatternLayouts.BuildAll(pattern, context, layers: 3, heads: 4);
        Assert.Equal(12, layouts.Length);
        var accumulator = new SparsityAccumulator();
        for (int layer = 0; layer < 3; layer++)
        {
            for (int head = 0; head < 4; head++)
            {
                var expected = CsrLayout.Build(pattern, context with { Layer = layer, Head = head });
                var actual = layouts[layer * 4 + head];
                Assert.Equal(expected.RowOffsets, actual.RowOffsets);
                Assert.Equal(expected.Keys, actual.Keys);
                accumulator.Add(expected);
            }
        }
        // The heads really differ, so the test would notice a mixed-up index.
        Assert.NotEqual(layouts[0].Keys, layouts[1].Keys);
        Assert.Equal(accumulator.Sparsity, PatternLayouts.MeanSparsity(pattern, context, 3, 4), 15);
    }

    /// <summary>A test pattern whose keys depend on layer, head and seed: row i attends to a few seeded random keys.</summary>
    private sealed class HeadScatterPattern : Pattern
    {
        public override PatternRows Bind(PatternContext context) => new Rows(context);

        public override string ToString() => "scatter";

        private sealed class Rows(PatternContext context) : PatternRows(context.Length)
        {
            private readonly int[][] _keys = Enumerable.Range(0, context.Length).Select(row =>
            {
                var random = SeededRandom.For(context with { Example = context.Example * 1000 + row }, 99);
                return Enumerable.Range(0, 3).Select(_ => random.NextInt32(context.Length)).Distinct().Order().ToArray();
            }).ToArray();

            public override void AppendRow(int row, KeyBuffer keys) => keys.AddRange(_keys[row]);
        }
    }
}
