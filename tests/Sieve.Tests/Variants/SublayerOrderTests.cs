// Sandwich ordering (Press, Smith, Levy 2020; METHODS.md §13): s^k (sf)^{n−k} f^k, and validation of sublayer strings.
using Sieve.Variants;

namespace Sieve.Tests.Variants;

public sealed class SublayerOrderTests
{
    [Theory]
    [InlineData(3, 0, "sfsfsf")]
    [InlineData(5, 2, "sssfsfsfff")]
    [InlineData(4, 4, "ssssffff")]
    public void Sandwich_IsSToTheKThenInterleavedThenFToTheK(int n, int k, string expected)
    {
        var order = SublayerOrder.Sandwich(n, k);
        Assert.Equal(expected, order.ToString());
        Assert.Equal(n, order.Count);
        Assert.Equal(k == 0, order.IsInterleaved);
        Assert.Equal(order, SublayerOrder.Parse(expected));
    }

    [Theory]
    [InlineData("sssfsfsfff", 5)]
    [InlineData("fs", 1)]
    public void Parse_AcceptsBalancedStrings(string text, int count) => Assert.Equal(count, SublayerOrder.Parse(text).Count);

    [Theory]
    [InlineData("sssfsfsff", 10, "5 's' and 4 'f'")]
    [InlineData("ssxff", 3, "unexpected 'x' at column 3")]
    [InlineData("", 1, "empty")]
    public void Parse_RejectsWithTheColumnAndTheReason(string text, int column, string problem)
    {
        var e = Assert.Throws<VariantSpecException>(() => SublayerOrder.Parse(text));
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Sandwich_CoefficientOutsideZeroToN_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SublayerOrder.Sandwich(4, 5));
}
