// A row whose pattern allows no key is reported, and by default given its diagonal; padding rows stay empty.
namespace Sieve.Patterns.Tests;

public sealed class EmptyRowPolicyTests
{
    // A pattern minus itself allows nothing: every row is empty.
    private static readonly Pattern _nothing = new LocalPattern(1) - new LocalPattern(1);

    [Fact]
    public void EmptyRows_AreReportedAndGivenTheirDiagonalByDefault()
    {
        var layout = CsrLayout.Build(_nothing, new PatternContext(5));

        Assert.Equal([0, 1, 2, 3, 4], layout.EmptyRows);
        Assert.Equal(5, layout.Nnz);
        for (int row = 0; row < 5; row++) Assert.Equal([row], layout.Row(row).ToArray());
    }

    [Fact]
    public void KeepPolicy_LeavesEmptyRowsEmptyButStillReportsThem()
    {
        var layout = CsrLayout.Build(_nothing, new PatternContext(5), EmptyRowPolicy.Keep);

        Assert.Equal([0, 1, 2, 3, 4], layout.EmptyRows);
        Assert.Equal(0, layout.Nnz);
    }

    [Fact]
    public void PaddingRows_AreEmptyAndNotReported()
    {
        var layout = CsrLayout.Build(new FullPattern(), new PatternContext(3) { PaddedLength = 5 });

        Assert.Empty(layout.EmptyRows);
        Assert.Equal(6, layout.RowOffsets.Length);
        Assert.Equal(9, layout.Nnz);
        Assert.Equal(0, layout.Row(3).Length);
        Assert.Equal(0, layout.Row(4).Length);
        var dense = layout.ToDense();
        Assert.False(dense[0, 3]);
        Assert.True(dense[2, 2]);
    }

    [Fact]
    public void PaddedLengthShorterThanTheRealLength_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PatternContext(8) { PaddedLength = 4 });
        Assert.Contains("at least the real length 8", error.Message, StringComparison.Ordinal);
    }
}
