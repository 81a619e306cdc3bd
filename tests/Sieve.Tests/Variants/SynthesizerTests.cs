// Synthesizer (Tay et al. 2020; METHODS.md §9): Random ignores the input content, Dense depends on each token only,
// Factorized Dense rows are outer products, Factorized Random has rank ≤ r, the vanilla mixture, padding, save/load.
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class SynthesizerTests
{
    private static SynthesizerAttention New(SynthesizerKind kind, SynthesizerMix mix = SynthesizerMix.None, int maxLength = 8) =>
        new(new SynthesizerOptions { Kind = kind, Mix = mix }, 2, 4, 8, maxLength, dtype: ScalarType.Float64);

    [Theory]
    [InlineData(SynthesizerKind.Random)]
    [InlineData(SynthesizerKind.FixedRandom)]
    [InlineData(SynthesizerKind.FactorizedRandom)]
    public void Random_IgnoresTheInputContent_AndIsSoftmaxOfItsMatrixTimesV(SynthesizerKind kind)
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(1, 2, 5, 4, 5, seed: 1);
        var (q2, k2, _, hidden2, _) = VariantTestData.Inputs(1, 2, 5, 4, 5, seed: 2);
        using var variant = New(kind);
        var first = variant.Attend(q, k, v, hidden, padding);
        var second = variant.Attend(q2, k2, v, hidden2, padding);
        Assert.Equal(first.data<double>().ToArray(), second.data<double>().ToArray());
        var state = variant.state_dict();
        var r = kind == SynthesizerKind.FactorizedRandom
            ? state["random_r1"][.., ..5].matmul(state["random_r2"][.., ..5].transpose(-1, -2))
            : state["random_attn"][.., ..5, ..5];                                  // [H, 5, 5]
        Assert.Equal(r.softmax(-1).matmul(v[0]).data<double>().ToArray(), first[0].data<double>().ToArray(), new Tolerance(1e-13));
        Assert.Equal(kind != SynthesizerKind.FixedRandom, variant.parameters().Any());
    }

    [Fact]
    public void FactorizedRandom_LogitsHaveRankAtMostR()
    {
        using var variant = new SynthesizerAttention(new SynthesizerOptions { Kind = SynthesizerKind.FactorizedRandom, FactorRank = 2 }, 2, 4, 8, 12, dtype: ScalarType.Float64);
        var (q, k, _, hidden, _) = VariantTestData.Inputs(1, 2, 12, 4, 12);
        var logits = variant.Logits(q, k, hidden);                                  // [1, H, 12, 12]
        Assert.Equal(2L, linalg.matrix_rank(logits[0, 0]).item<long>());
    }

    [Fact]
    public void Dense_DependsOnEachTokenAlone_NotOnQueriesOrKeys()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(1, 2, 6, 4, 6, seed: 1);
        var (q2, k2, _, _, _) = VariantTestData.Inputs(1, 2, 6, 4, 6, seed: 2);
        using var variant = New(SynthesizerKind.Dense);
        var logits = variant.Logits(q, k, hidden);                                  // [1, H, N, N]
        Assert.Equal(logits.data<double>().ToArray(), variant.Logits(q2, k2, hidden).data<double>().ToArray());
        // Changing token 3's input changes row 3 of the logits only: B_i = F(X_i).
        var changed = hidden.clone();
        changed[0, 3] = changed[0, 3] + 1.0;
        var difference = (variant.Logits(q, k, changed) - logits).abs().sum(-1)[0]; // [H, N]
        for (int row = 0; row < 6; row++)
            Assert.Equal(row == 3, difference[.., row].min().item<double>() > 0);
    }

    [Fact]
    public void FactorizedDense_EachRowIsTheTiledProductOfTwoVectors()
    {
        // ℓ = 12 → a = 3, b = 4; a logit row of length ℓ reshaped to [b, a] is the outer product B ⊗ A: rank 1.
        using var variant = New(SynthesizerKind.FactorizedDense, maxLength: 12);
        var (q, k, _, hidden, _) = VariantTestData.Inputs(1, 2, 12, 4, 12);
        var logits = variant.Logits(q, k, hidden);                                  // [1, H, 12, 12]
        for (int row = 0; row < 12; row++)
            Assert.Equal(1L, linalg.matrix_rank(logits[0, 1, row].view(4, 3)).item<long>());
        Assert.Equal(["dense_1.bias", "dense_1.weight", "factor_a.bias", "factor_a.weight", "factor_b.bias", "factor_b.weight"], variant.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void VanillaMixture_StartsHalfAndHalf_AndAtItsExtremeIsDotProductAttention()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 2, 6, 4, 3);
        using var variant = New(SynthesizerKind.Random, SynthesizerMix.Vanilla);
        Assert.Equal([0.5, 0.5], variant.Report().Values["vanilla_weight"]);
        using (no_grad()) variant.state_dict()["mix_logits"].copy_(tensor(new[] { -40.0, 40.0, -40.0, 40.0 }).view(2, 2));
        var expected = (q.matmul(k.transpose(-1, -2)) / 2.0).masked_fill(padding.logical_not().view(2, 1, 1, 6), double.NegativeInfinity).softmax(-1).matmul(v);
        Assert.Equal(expected.data<double>().ToArray(), variant.Attend(q, k, v, hidden, padding).data<double>().ToArray(), new Tolerance(1e-12));
    }

    [Theory]
    [InlineData(SynthesizerKind.Dense)]
    [InlineData(SynthesizerKind.Random)]
    [InlineData(SynthesizerKind.FactorizedDense)]
    public void PaddingKeys_GetZeroWeight(SynthesizerKind kind)
    {
        var (q, k, _, hidden, padding) = VariantTestData.Inputs(2, 2, 6, 4, 4);
        using var variant = New(kind);
        var weights = variant.Attend(q, k, eye(6, dtype: ScalarType.Float64).expand(2, 2, 6, 6), hidden, padding);   // [B, H, N, N]
        Assert.Equal(0.0, weights[1, .., .., 4..].abs().max().item<double>());
        Assert.Equal(1.0, weights[1].sum(-1).min().item<double>(), 12);
    }

    [Theory]
    [InlineData("synthesizer", "synthesizer(kind=dense,mix=none)")]
    [InlineData("synthesizer(kind=fixed_random)", "synthesizer(kind=fixed_random,mix=none)")]
    [InlineData("synthesizer(factorized_dense, vanilla)", "synthesizer(kind=factorized_dense,mix=vanilla)")]
    [InlineData("synthesizer(kind=random,mix=vanilla)", "synthesizer(kind=random,mix=vanilla)")]
    public void Spec_PrintsItsCanonicalFormBack(string spec, string canonical) =>
        Assert.Equal(canonical, VariantSpec.Parse(spec).ToString());

    [Fact]
    public void Spec_UnknownKind_ListsTheKinds()
    {
        var e = Assert.Throws<SpecException>(() => VariantSpec.Parse("synthesizer(kind=sparse)"));
        Assert.Equal(18, e.Column);
        Assert.Contains("dense, random, fixed_random, factorized_dense, factorized_random", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("synthesizer(kind=dense,mix=vanilla)")]
    [InlineData("synthesizer(kind=fixed_random)")]
    [InlineData("synthesizer(kind=factorized_random)")]
    [InlineData("synthesizer(kind=factorized_dense)")]
    public void SaveLoad_RoundTripGivesIdenticalOutputs(string spec) =>
        VariantTestData.AssertSaveLoadRoundTrip(spec, heads: 2, dim: 4, n: 6, maxLength: 8);
}
