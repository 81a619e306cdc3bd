// Linformer (Wang et al. 2020; METHODS.md §8): the formula softmax(Q (E K)ᵀ/√D)(F V), scores of size N·k whatever N,
// rank ≤ k, slicing of E, F for shorter inputs and padding, the three sharing schemes, spec and save/load.
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class LinformerTests
{
    private static LinformerAttention New(int k, LinformerSharing share, int maxLength, LinformerProjection? shared = null) =>
        new(new LinformerOptions { K = k, Share = share }, 2, 4, 8, maxLength, dtype: ScalarType.Float64, shared: shared);

    [Fact]
    public void Output_IsTheLowRankFormula_WithEAndFSlicedToTheInputLength()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(1, 2, 6, 4, 6);
        using var variant = New(3, LinformerSharing.None, maxLength: 10);
        var e = variant.state_dict()["e_proj"][.., ..6];                           // [3, 6]
        var f = variant.state_dict()["f_proj"][.., ..6];                           // [3, 6]
        var expected = (q.matmul(e.matmul(k).transpose(-1, -2)) / 2.0).softmax(-1).matmul(f.matmul(v));
        var actual = variant.Attend(q, k, v, hidden, padding);
        Assert.Equal(expected.data<double>().ToArray(), actual.data<double>().ToArray(), new Tolerance(1e-13));
    }

    [Fact]
    public void Scores_AreNByK_ForEveryLength_AndTheAttentionHasRankAtMostK()
    {
        using var variant = New(4, LinformerSharing.Kv, maxLength: 64);
        foreach (int n in new[] { 8, 16, 64 })
        {
            var (q, k, v, _, padding) = VariantTestData.Inputs(1, 2, n, 4, n);
            Assert.Equal([1L, 2, n, 4], variant.Scores(q, k, v, padding).shape);
            // With v = identity (D = N) the output is the N×N map the layer applies to values: at most rank k.
            var map = variant.Attend(q, k, eye(n, dtype: ScalarType.Float64).expand(1, 2, n, n), zeros(1, n, 8, dtype: ScalarType.Float64), padding);
            Assert.True(linalg.matrix_rank(map[0, 0]).item<long>() <= 4);
        }
    }

    [Fact]
    public void PaddedExample_GivesTheSameRealRowsAsTheUnpaddedExample()
    {
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(2, 2, 7, 4, 4);
        using var variant = New(3, LinformerSharing.None, maxLength: 12);
        var padded = variant.Attend(q, k, v, hidden, padding)[1, .., ..4];         // [H, 4, D]
        var alone = variant.Attend(q[1..2, .., ..4], k[1..2, .., ..4], v[1..2, .., ..4], hidden[1..2, ..4], padding[1..2, ..4])[0];
        Assert.Equal(alone.data<double>().ToArray(), padded.contiguous().data<double>().ToArray(), new Tolerance(1e-13));
    }

    [Fact]
    public void Sharing_NoneHasEAndF_KvHasOne_LayerSharesOneParameterAcrossLayers()
    {
        using var none = New(2, LinformerSharing.None, 8);
        Assert.Equal(["e_proj", "f_proj"], none.state_dict().Keys.Order(StringComparer.Ordinal));
        using var kv = New(2, LinformerSharing.Kv, 8);
        Assert.Equal(["e_proj"], kv.state_dict().Keys);
        using var layer0 = New(2, LinformerSharing.Layer, 8);
        using var layer1 = New(2, LinformerSharing.Layer, 8, layer0.Projection);
        Assert.Same(layer0.Projection.E, layer1.Projection.E);
        using (no_grad()) layer0.Projection.E.add_(1.0);
        Assert.Equal(layer0.state_dict()["e_proj"].data<double>().ToArray(), layer1.state_dict()["e_proj"].data<double>().ToArray());
        Assert.Throws<ArgumentException>(() => New(2, LinformerSharing.Kv, 8, layer0.Projection));
    }

    [Fact]
    public void InputsLongerThanTheMaximum_AndKAboveIt_AreRefusedWithTheSizes()
    {
        using var variant = New(2, LinformerSharing.None, 4);
        var (q, k, v, hidden, padding) = VariantTestData.Inputs(1, 2, 5, 4, 5);
        var e = Assert.Throws<ArgumentException>(() => variant.Attend(q, k, v, hidden, padding));
        Assert.Contains("at most 4 tokens, got 5", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => New(9, LinformerSharing.None, 4));
    }

    [Theory]
    [InlineData("linformer", "linformer(k=256,share=none)")]
    [InlineData("linformer(k=16, share=kv)", "linformer(k=16,share=kv)")]
    [InlineData("linformer(8,layer)", "linformer(k=8,share=layer)")]
    public void Spec_PrintsItsCanonicalFormBack(string spec, string canonical)
    {
        Assert.Equal(canonical, VariantSpec.Parse(spec).ToString());
        Assert.Equal(canonical, VariantSpec.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData("linformer(k=0)", 1, "k >= 1")]
    [InlineData("linformer(k=4,share=heads)", 21, "must be one of none, kv, layer")]
    [InlineData("linformer(k=4.5)", 13, "whole number")]
    [InlineData("linformer(k=4,k=5)", 15, "given twice")]
    public void Spec_ErrorsNameTheColumnAndTheProblem(string spec, int column, string problem)
    {
        var e = Assert.Throws<SpecException>(() => VariantSpec.Parse(spec));
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("linformer(k=3,share=none)")]
    [InlineData("linformer(k=3,share=kv)")]
    public void SaveLoad_RoundTripGivesIdenticalOutputs(string spec) =>
        VariantTestData.AssertSaveLoadRoundTrip(spec, heads: 2, dim: 4, n: 6, maxLength: 8);
}
