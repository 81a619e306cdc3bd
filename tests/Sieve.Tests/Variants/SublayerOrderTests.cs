// Sandwich ordering (Press, Smith, Levy 2020; METHODS.md §13): s^k (sf)^{n−k} f^k, and validation of sublayer strings.
using Sieve.Patterns;
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
        var e = Assert.Throws<SpecException>(() => SublayerOrder.Parse(text));
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sssfsfsfff", 5, "sssfsfsfff")]
    [InlineData("sandwich(k=2)", 5, "sssfsfsfff")]
    [InlineData(" sandwich( 0 ) ", 3, "sfsfsf")]
    [InlineData("sandwich(k = 4)", 4, "ssssffff")]
    public void ForLayers_TakesAStringOrTheSandwichCoefficient(string text, int layers, string expected) =>
        Assert.Equal(expected, SublayerOrder.ForLayers(text, layers).Sublayers);

    [Theory]
    [InlineData("sssfff", 2, "has 3 's' and 3 'f' but the model has 2 layers; give 2 of each (e.g. sfsf)")]
    [InlineData("sandwich(k=5)", 4, "'5' is not a sandwich coefficient; expected sandwich(k=K) with an integer 0 ≤ K ≤ 4")]
    [InlineData("sandwich(k=-1)", 4, "'-1' is not a sandwich coefficient")]
    [InlineData("sandwich(j=1)", 4, "expected sandwich(k=K)")]
    [InlineData("sandwich", 4, "expected sandwich(k=K)")]
    [InlineData("ssxff", 2, "unexpected 'x' at column 3")]
    public void ForLayers_RejectsWithWhatWasExpected(string text, int layers, string problem)
    {
        var e = Assert.Throws<SpecException>(() => SublayerOrder.ForLayers(text, layers));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Sandwich_CoefficientOutsideZeroToN_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SublayerOrder.Sandwich(4, 5));
}
