// BlockLayout against facts that do not go through it: the dense view of the same CSR layout, and small grids worked by hand.
namespace Sieve.Patterns.Tests;

public sealed class BlockLayoutTests
{
    public static TheoryData<string, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var (spec, n, padded, b) in new[]
        {
            ("full", 5, 8, 4), ("full", 1, 1, 16), ("local(2)", 16, 16, 4), ("local(3)", 130, 144, 16),
            ("global(2)", 57, 64, 8), ("local(2)+global(1)", 33, 40, 7), ("local(4)-local(1)", 40, 48, 5),
            ("local(5)&global(3)", 29, 32, 3), ("local(1)", 0, 4, 2),
        })
        {
            data.Add(spec, n, padded, b);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tiles_MatchTheDenseView(string spec, int n, int padded, int b)
    {
        var csr = CsrLayout.Build(Parse(spec), new PatternContext(n) { PaddedLength = padded });
        var layout = BlockLayout.Build(csr, b);
        var dense = csr.ToDense();
        int blocks = (padded + b - 1) / b;
        Assert.Equal(blocks, layout.BlockCount);
        var expected = new List<(int Qb, int Kb, bool Full)>();
        for (int qb = 0; qb < blocks; qb++)
        {
            for (int kb = 0; kb < blocks; kb++)
            {
                int any = 0, real = 0;
                for (int i = qb * b; i < Math.Min(qb * b + b, padded); i++)
                {
                    for (int j = kb * b; j < Math.Min(kb * b + b, padded); j++)
                    {
                        if (dense[i, j]) any++;
                        if (i < n && j < n) real++;
                    }
                }
                if (any > 0) expected.Add((qb, kb, any == real));
            }
        }
        var actual = new List<(int Qb, int Kb, bool Full)>();
        for (int qb = 0; qb < layout.BlockCount; qb++)
        {
            for (int t = layout.BlockRowOffsets[qb]; t < layout.BlockRowOffsets[qb + 1]; t++)
                actual.Add((qb, layout.KeyBlocks[t], layout.Full[t]));
        }
        Assert.Equal(expected, actual);
        int realBlocks = (n + b - 1) / b;
        Assert.Equal(realBlocks == 0 ? 0 : (double)expected.Count / (realBlocks * realBlocks), layout.Density, 12);
    }

    [Fact]
    public void Local1_OnFourTokens_HasTwoFullAndTwoPartialTiles()
    {
        // Rows {0,1}, {0,1,2}, {1,2,3}, {2,3}: the diagonal 2×2 tiles are complete, the off-diagonal ones hold one entry.
        var layout = BlockLayout.Build(CsrLayout.Build(new LocalPattern(1), new PatternContext(4)), 2);
        Assert.Equal([0, 2, 4], layout.BlockRowOffsets);
        Assert.Equal([0, 1, 0, 1], layout.KeyBlocks);
        Assert.Equal([true, false, false, true], layout.Full);
        Assert.Equal("BlockLayout(N=4, b=2, 2×2: 4 tiles, density 1, 2 full)", layout.ToString());
        Assert.Equal("█▒\n▒█\n", layout.Render());
    }

    [Fact]
    public void PartialLastBlock_IsFullWhenItsRealEntriesAre()
    {
        // N = 5 with b = 4: the last block row and column hold one real token; full attention fills every real pair.
        var layout = BlockLayout.Build(CsrLayout.Build(new FullPattern(), new PatternContext(5) { PaddedLength = 12 }), 4);
        Assert.Equal(3, layout.BlockCount);
        Assert.Equal(2, layout.RealBlockCount);
        Assert.Equal(4, layout.Count);
        Assert.Equal(4, layout.FullCount);
        Assert.Equal(0, layout.Row(2).Length);
    }

    [Fact]
    public void Local64PlusGlobal2_At4096_KeepsTheBandAndTheBorder()
    {
        // b = 64: the band covers tiles |qb − kb| ≤ 1 (3·64 − 2 of them); global(2) adds the rest of block row and column 0.
        var pattern = new LocalPattern(64) + new GlobalPattern(2);
        var layout = BlockLayout.Build(CsrLayout.Build(pattern, new PatternContext(4096)), 64);
        int band = (3 * 64) - 2;
        Assert.Equal(band + (2 * (64 - 2)), layout.Count);
    }

    [Fact]
    public void BlockSize_BelowOne_IsRejectedWithTheValue()
    {
        var csr = CsrLayout.Build(new FullPattern(), new PatternContext(3));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BlockLayout.Build(csr, 0));
        Assert.Contains("at least 1, got 0", error.Message, StringComparison.Ordinal);
    }

    // The spec grammar lives elsewhere; these few shapes are enough here.
    private static Pattern Parse(string spec) => spec switch
    {
        "full" => new FullPattern(),
        "local(2)" => new LocalPattern(2),
        "local(3)" => new LocalPattern(3),
        "local(1)" => new LocalPattern(1),
        "global(2)" => new GlobalPattern(2),
        "local(2)+global(1)" => new LocalPattern(2) + new GlobalPattern(1),
        "local(4)-local(1)" => new LocalPattern(4) - new LocalPattern(1),
        "local(5)&global(3)" => new LocalPattern(5) & new GlobalPattern(3),
        _ => throw new ArgumentException($"unknown test spec {spec}", nameof(spec)),
    };
}
