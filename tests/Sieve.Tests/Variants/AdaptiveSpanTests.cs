// Adaptive attention span (Sukhbaatar et al. 2019; METHODS.md §10): the ramp mask of the paper, the masked and
// renormalised attention, the penalty, skipping keys beyond the span at inference with the same result, save/load.
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class AdaptiveSpanTests
{
    private static AdaptiveSpanAttention New(int maxSpan, int ramp, double[] u)
    {
        var variant = new AdaptiveSpanAttention(new AdaptiveSpanOptions { MaxSpan = maxSpan, Ramp = ramp }, u.Length, 4, 4 * u.Length, 64, dtype: ScalarType.Float64);
        using (no_grad()) variant.state_dict()["span_ratio"].copy_(tensor(u));
        return variant;
    }

    [Fact]
    public void Mask_IsThePapersRamp_OneWithinTheSpanThenLinearToZeroOverR()
    {
        // S = 16, R = 4, u = 0.5 → z = 8: m(x) = clamp((12 − x)/4, 0, 1) = 1 for x ≤ 8, then .75, .5, .25, 0.
        // u = 0 → z = 0: m(x) = (4 − x)/4 for x < 4.
        using var variant = New(16, 4, [0.5, 0.0]);
        var mask = variant.Mask(arange(15, dtype: ScalarType.Float64));            // [H, 15]
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0, 0], mask[0].data<double>().ToArray());
        Assert.Equal([1, 0.75, 0.5, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], mask[1].data<double>().ToArray());
        Assert.Equal([8.0, 0.0], variant.Spans());
        Assert.Equal(11, variant.InferenceWindow);   // distances up to 11 have weight > 0 in head 0
    }

    [Fact]
    public void Attention_IsMaskTimesExpOverItsSum_OnRealKeys()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 2, 9, 4, 6);
        using var variant = New(8, 2, [0.25, 0.5]);                                // z = 2, 4
        variant.train();
        var weights = variant.Attend(q, k, eye(9, dtype: ScalarType.Float64).expand(2, 2, 9, 9), hidden, padding);   // [B, H, N, N]
        var scores = (q.matmul(k.transpose(-1, -2)) / 2.0).data<double>().ToArray();
        var w = weights.data<double>().ToArray();
        double[] z = [2, 4];
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 2; h++)
                for (int i = 0; i < (b == 0 ? 9 : 6); i++)
                {
                    int length = b == 0 ? 9 : 6;
                    double Masked(int j) => j < length ? Math.Clamp((2 + z[h] - Math.Abs(i - j)) / 2, 0, 1) * Math.Exp(scores[Index(b, h, i, j)]) : 0;
                    double sum = Enumerable.Range(0, 9).Sum(Masked);
                    for (int j = 0; j < 9; j++)
                        Assert.Equal(Masked(j) / sum, w[Index(b, h, i, j)], 12);
                }
        static int Index(int b, int h, int i, int j) => (((((b * 2) + h) * 9) + i) * 9) + j;
    }

    [Fact]
    public void Inference_SkipsKeysBeyondTheSpan_AndGivesTheSameContextAsTraining()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 3, 20, 4, 13);
        using var variant = New(16, 3, [0.1, 0.3, 0.05]);                          // z = 1.6, 4.8, 0.8 → window 7
        Assert.Equal(7, variant.InferenceWindow);
        variant.train();
        var dense = variant.Attend(q, k, v, hidden, padding);
        variant.eval();
        var banded = variant.Attend(q, k, v, hidden, padding);
        Assert.Equal(dense.data<double>().ToArray(), banded.data<double>().ToArray(), new Tolerance(1e-12));
        // Keys farther than the window from query 0 cannot matter: change them and row 0 stays.
        var k2 = k.clone();
        k2[.., .., 8..] = k2[.., .., 8..] + 5.0;
        Assert.Equal(banded[.., .., 0].contiguous().data<double>().ToArray(), variant.Attend(q, k2, v, hidden, padding)[.., .., 0].contiguous().data<double>().ToArray(), new Tolerance(1e-12));
    }

    [Fact]
    public void Penalty_IsMaxSpanTimesMeanRatio_AndSpansReceiveGradientsThroughTheRamp()
    {
        using var variant = New(10, 4, [0.2, 0.6]);
        Assert.Equal(4.0, variant.SpanPenalty().item<double>(), 12);
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(1, 2, 12, 4, 12);
        variant.train();
        (variant.Attend(q, k, v, hidden, padding).square().sum() + variant.SpanPenalty()).backward();
        var grad = variant.parameters().Single().grad!.data<double>().ToArray();
        Assert.All(grad, g => Assert.NotEqual(5.0, g));   // more than the penalty's S/H = 5: the ramp passes a gradient
        using (no_grad()) variant.state_dict()["span_ratio"].copy_(tensor(new[] { -0.5, 1.5 }));
        variant.ClampSpans();
        Assert.Equal([0.0, 10.0], variant.Spans());
        Assert.Equal([0.0, 10.0], variant.Report().Values["span"]);
    }

    [Theory]
    [InlineData("adaptive_span", "adaptive_span(max=1024,ramp=32)")]
    [InlineData("adaptive_span(max=512, ramp=16)", "adaptive_span(max=512,ramp=16)")]
    public void Spec_PrintsItsCanonicalFormBack(string spec, string canonical) =>
        Assert.Equal(canonical, VariantSpec.Parse(spec).ToString());

    [Fact]
    public void SaveLoad_RoundTripGivesIdenticalOutputs() =>
        VariantTestData.AssertSaveLoadRoundTrip("adaptive_span(max=8,ramp=2)", heads: 2, dim: 4, n: 6, maxLength: 8);
}
