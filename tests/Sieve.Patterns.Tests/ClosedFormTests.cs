// Closed forms of METHODS.md §1.2 (checked there by enumeration): counts and sparsities of Local, Global and their unions.
namespace Sieve.Patterns.Tests;

public class ClosedFormTests
{
    private static long Nnz(string spec, int n) => CsrLayout.Build(PatternSpec.Parse(spec), new PatternContext(n), EmptyRowPolicy.Keep).Nnz;

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(2, 40)]
    [InlineData(3, 128)]
    [InlineData(7, 100)]
    public void Local_k_keeps_2k_plus_1_N_minus_k_k_plus_1(int k, int n) =>
        Assert.Equal(((2L * k) + 1) * n - ((long)k * (k + 1)), Nnz($"local({k})", n));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 40)]
    [InlineData(2, 40)]
    [InlineData(5, 128)]
    public void Global_g_keeps_2gN_minus_g_squared(int g, int n) =>
        Assert.Equal((2L * g * n) - ((long)g * g), Nnz($"global({g})", n));

    [Theory]
    [InlineData(8)]
    [InlineData(40)]
    [InlineData(128)]
    public void Unions_of_local_and_global_match_METHODS_1_2(int n)
    {
        Assert.Equal((9L * n) - 20, Nnz("local(2)+global(2)", n));
        Assert.Equal((9L * n) - 20, Nnz("local(3)+global(1)", n));
        Assert.Equal((7L * n) - 12, Nnz("local(2)+global(1)", n));
        Assert.Equal((5L * n) - 6, Nnz("local(1)+global(1)", n));
        Assert.Equal((5L * n) - 6, Nnz("star", n));
        Assert.Equal(Nnz("local(1)", n), Nnz("diagonal(0,1)", n));
        Assert.Equal(Nnz("local(3)", n), Nnz("dilated(3,1)", n));
    }

    [Theory]
    [InlineData(40, 0.7875, 0.8325)]
    [InlineData(128, 0.9309, 0.9460)]
    public void Sparsities_of_L2G2_and_L2G1(int n, double l2g2, double l2g1)
    {
        var context = new PatternContext(n);
        Assert.Equal(l2g2, CsrLayout.Build(PatternSpec.Parse("local(2)+global(2)"), context).Sparsity, 4);
        Assert.Equal(l2g1, CsrLayout.Build(PatternSpec.Parse("local(2)+global(1)"), context).Sparsity, 4);
    }
}
