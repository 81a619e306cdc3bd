// The Sparse Transformer's factorised heads (Child et al. 2019; METHODS.md §5 integration (c)): each half of the heads
// sees one index set, the union is the Sieve.Patterns strided/fixed pattern, attention stays within the head's set.
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class SparseTransformerTests
{
    [Theory]
    [InlineData("sparse_transformer(kind=strided,l=3)", "strided(3,causal=false)", 11)]
    [InlineData("sparse_transformer(kind=fixed,l=4,c=2)", "fixed(4,2,causal=false)", 11)]
    public void HeadMasks_AreTheTwoComponents_WhoseUnionIsThePattern(string spec, string pattern, int n)
    {
        using var variant = (SparseTransformerAttention)VariantSpec.Parse(spec).Create(4, 4, 16, 32);
        var masks = variant.HeadMasks(n);                                           // [H, N, N]
        Assert.Equal(2, variant.RowHeads);
        static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();
        Assert.True(Same(masks[0], masks[1]) && Same(masks[2], masks[3]) && !Same(masks[0], masks[2]));
        var union = masks[0].logical_or(masks[2]).data<bool>().ToArray();
        var dense = CsrLayout.Build(PatternSpec.Parse(pattern), new PatternContext(n)).ToDense();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(dense[i, j], union[(i * n) + j]);
    }

    [Fact]
    public void StridedComponents_MatchTheirDefinitions()
    {
        using var variant = new SparseTransformerAttention(new SparseTransformerOptions { Kind = SparseTransformerKind.Strided, L = 3 }, 2, 4, 8, 16);
        var masks = variant.HeadMasks(10);
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 10; j++)
            {
                Assert.Equal(Math.Abs(i - j) <= 3, masks[0, i, j].item<bool>());
                Assert.Equal((i - j) % 3 == 0, masks[1, i, j].item<bool>());
            }
    }

    [Fact]
    public void Attention_IsSoftmaxWithinEachHeadsSet_AndPaddingKeysGetNone()
    {
        var (q, k, _, hidden, padding) = VariantTestData.Inputs(2, 2, 8, 4, 5);
        using var variant = new SparseTransformerAttention(new SparseTransformerOptions { Kind = SparseTransformerKind.Fixed, L = 4, C = 1 }, 2, 4, 8, 16);
        var weights = variant.Attend(q, k, eye(8, dtype: ScalarType.Float64).expand(2, 2, 8, 8), hidden, padding);   // [B, H, N, N]
        var allowed = variant.HeadMasks(8).unsqueeze(0).logical_and(padding.view(2, 1, 1, 8));
        var expected = (q.matmul(k.transpose(-1, -2)) / 2.0).masked_fill(allowed.logical_not(), double.NegativeInfinity).softmax(-1);
        Assert.Equal(expected[0].data<double>().ToArray(), weights[0].data<double>().ToArray(), new Tolerance(1e-13));
        Assert.Equal(expected[1, .., ..5].contiguous().data<double>().ToArray(), weights[1, .., ..5].contiguous().data<double>().ToArray(), new Tolerance(1e-13));
        Assert.Equal(0.0, weights[1, .., .., 5..].abs().max().item<double>());
    }

    [Theory]
    [InlineData("sparse_transformer(kind=strided,l=8)", "sparse_transformer(kind=strided,l=8)")]
    [InlineData("sparse_transformer(fixed, 16, 4)", "sparse_transformer(kind=fixed,l=16,c=4)")]
    public void Spec_PrintsItsCanonicalFormBack(string spec, string canonical) =>
        Assert.Equal(canonical, VariantSpec.Parse(spec).ToString());

    [Theory]
    [InlineData("sparse_transformer(kind=fixed,l=4)", "1 <= c <= l")]
    [InlineData("sparse_transformer(kind=strided,l=4,c=2)", "takes no c")]
    [InlineData("sparse_transformer(l=4)", "missing argument kind")]
    public void Spec_InconsistentArguments_AreRefused(string spec, string problem)
    {
        var e = Assert.Throws<SpecException>(() => VariantSpec.Parse(spec));
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }
}
