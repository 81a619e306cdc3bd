// α-entmax and sparsemax (Correia et al. 2019; METHODS.md §11): hand-computed sparsemax, the defining fixed point of
// entmax, exact zeros, gradients (scores and α) against finite differences in float64, and the attention variant.
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class EntmaxTests
{
    [Fact]
    public void Sparsemax_MatchesTheHandComputedProjection_WithExactZeros()
    {
        // z = (1, 0.5, −1): the support is {1, 0.5} (1 + 2·0.5 = 2 > 1.5, 1 + 3·(−1) < 0.5), τ = (1.5 − 1)/2 = 0.25.
        using var z = tensor(new[] { 1.0, 0.5, -1.0, 0.2, 0.2, 0.2 }).view(2, 3);
        var p = Entmax.Sparsemax(z).data<double>().ToArray();
        Assert.Equal([0.75, 0.25, 0.0, 1.0 / 3, 1.0 / 3, 1.0 / 3], p, new Tolerance(1e-15));
        Assert.Equal(0.0, p[2]);   // exactly zero, not tiny
    }

    [Theory]
    [InlineData(1.2)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    public void Bisect_SatisfiesTheDefinition_PIsThePowerOfTheShiftedScaledScores(double alpha)
    {
        // p_j = [(α−1) z_j − τ]₊^{1/(α−1)} with one τ for the row, Σ p = 1, and (α−1) z_j ≤ τ wherever p_j = 0.
        var generator = new Generator(3);
        using var z = randn([4, 7], dtype: ScalarType.Float64, generator: generator) * 3;
        using var a = full([1, 1], alpha, dtype: ScalarType.Float64);
        var p = Entmax.Bisect(z, a);
        for (int row = 0; row < 4; row++)
        {
            var pr = p[row].data<double>().ToArray();
            var zr = z[row].data<double>().ToArray();
            Assert.Equal(1.0, pr.Sum(), 12);
            var taus = Enumerable.Range(0, 7).Where(j => pr[j] > 0).Select(j => ((alpha - 1) * zr[j]) - Math.Pow(pr[j], alpha - 1)).ToArray();
            Assert.All(taus, t => Assert.Equal(taus[0], t, 9));
            for (int j = 0; j < 7; j++)
                if (pr[j] == 0) Assert.True((alpha - 1) * zr[j] <= taus[0] + 1e-9);
        }
        if (alpha == 2.0) Assert.Equal(Entmax.Sparsemax(z).data<double>().ToArray(), p.data<double>().ToArray(), new Tolerance(1e-12));
    }

    [Fact]
    public void Sparsemax_GradientMatchesFiniteDifferences()
    {
        var generator = new Generator(8);
        var x0 = randn([3, 6], dtype: ScalarType.Float64, generator: generator).data<double>().ToArray();
        var w = randn([3, 6], dtype: ScalarType.Float64, generator: generator);
        double Loss(double[] x) => (Entmax.Sparsemax(tensor(x).view(3, 6)) * w).sum().item<double>();
        var x = tensor(x0).view(3, 6).requires_grad_(true);
        (Entmax.Sparsemax(x) * w).sum().backward();
        Assert.Equal(VariantTestData.NumericGradient(Loss, x0), x.grad!.data<double>().ToArray(), new Tolerance(1e-7));
        Assert.Contains(0.0, Entmax.Sparsemax(tensor(x0).view(3, 6)).data<double>().ToArray());   // the check covered a kink-free point with zeros
    }

    [Fact]
    public void Bisect_GradientsWithRespectToScoresAndAlphaMatchFiniteDifferences()
    {
        // One α per "head" (dimension 1), as the attention uses it; the α gradient sums over the rows of its head.
        var generator = new Generator(9);
        var x0 = (randn([2, 3, 5], dtype: ScalarType.Float64, generator: generator) * 2).data<double>().ToArray();
        var w = randn([2, 3, 5], dtype: ScalarType.Float64, generator: generator);
        double[] a0 = [1.3, 1.6, 1.9];
        double Loss(double[] x, double[] a) => (Entmax.Bisect(tensor(x).view(2, 3, 5), tensor(a).view(1, 3, 1)) * w).sum().item<double>();
        var xs = tensor(x0).view(2, 3, 5).requires_grad_(true);
        var alpha = tensor(a0).view(1, 3, 1).requires_grad_(true);
        (Entmax.Bisect(xs, alpha) * w).sum().backward();
        Assert.Equal(VariantTestData.NumericGradient(x => Loss(x, a0), x0), xs.grad!.data<double>().ToArray(), new Tolerance(1e-6));
        Assert.Equal(VariantTestData.NumericGradient(a => Loss(x0, a), a0), alpha.grad!.data<double>().ToArray(), new Tolerance(1e-6));
    }

    [Fact]
    public void Attention_PaddingKeysGetZeroWeight_AndTheReportCountsExactZeros()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 2, 6, 4, 4);
        using var variant = new EntmaxAttention(new EntmaxOptions { Alpha = 1.5 }, 2, 4, 8, 16, dtype: ScalarType.Float64);
        // v = identity (D = N) makes the context the attention matrix itself.
        using var eye6 = eye(6, dtype: ScalarType.Float64).expand(2, 2, 6, 6);
        var weights = variant.Attend(q, k, eye6, hidden, padding);                 // [B, H, N, N]
        Assert.Equal(0.0, weights[1, .., .., 4..].abs().max().item<double>());
        Assert.Equal(1.0, weights[1, .., ..4, ..].sum(-1).min().item<double>(), 12);
        var w = weights.data<double>().ToArray();
        var real = VariantMath_RealPairs(padding);
        int zeros = Enumerable.Range(0, w.Length).Count(i => real[i] && w[i] == 0);
        Assert.True(zeros > 0, "entmax 1.5 on random scores should give some exact zeros");
        Assert.Equal((double)zeros / real.Count(r => r), variant.Report().Values["zero_share"][0], 12);
        Assert.Equal([1.5, 1.5], variant.Report().Values["alpha"]);
    }

    [Fact]
    public void LearnedAlpha_StartsAt1Point5_GetsAGradient_AndRoundTripsThroughSafetensors()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 3, 5, 4, 3);
        using var variant = (EntmaxAttention)VariantSpec.Parse("entmax(alpha=learned)").Create(3, 4, 12, 8, dtype: ScalarType.Float64);
        Assert.Equal(["alpha_logit"], variant.state_dict().Keys);
        Assert.Equal([1.5, 1.5, 1.5], variant.Report().Values["alpha"]);
        variant.Attend(q, k, v, hidden, padding).square().sum().backward();
        Assert.True(variant.parameters().Single().grad!.abs().sum().item<double>() > 0);
        VariantTestData.AssertSaveLoadRoundTrip("entmax(alpha=learned)", heads: 3, dim: 4, n: 5, maxLength: 8);
    }

    [Theory]
    [InlineData("entmax(alpha=1.5)", "entmax(alpha=1.5)")]
    [InlineData("entmax( 1.25 )", "entmax(alpha=1.25)")]
    [InlineData("entmax(alpha=learned)", "entmax(alpha=learned)")]
    [InlineData("sparsemax", "sparsemax")]
    [InlineData("entmax(alpha=2)", "sparsemax")]
    public void Spec_PrintsItsCanonicalFormBack(string spec, string canonical)
    {
        Assert.Equal(canonical, VariantSpec.Parse(spec).ToString());
        Assert.Equal(canonical, VariantSpec.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("entmax(alpha=1)", 1, "1 < alpha <= 2")]
    [InlineData("entmax(alpha=2.5)", 1, "1 < alpha <= 2")]
    [InlineData("entmax(beta=2)", 8, "unknown argument 'beta'")]
    [InlineData("entmax(alpha=softmax)", 14, "must be a number")]
    [InlineData("entmix", 1, "unknown attention variant 'entmix'")]
    [InlineData("sparsemax(2)", 11, "too many arguments")]
    [InlineData("entmix", 1, "did you mean 'entmax'?")]
    [InlineData("entmax(alpha=1.5", 17, "expected ')' at column 17 but found the end of the spec")]
    public void Spec_ErrorsNameTheColumnAndTheProblem(string spec, int column, string problem)
    {
        var e = Assert.Throws<SpecException>(() => VariantSpec.Parse(spec));
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    private static bool[] VariantMath_RealPairs(Tensor padding) =>
        padding.unsqueeze(1).unsqueeze(-1).logical_and(padding.unsqueeze(1).unsqueeze(1)).expand(2, 2, 6, 6).contiguous().data<bool>().ToArray();
}
