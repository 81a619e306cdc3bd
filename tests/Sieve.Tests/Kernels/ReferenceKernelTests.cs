// The specification itself against numbers worked by hand, the float bias path of Reference and Sdpa, and the
// user-facing errors of the kernel seam.
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

public sealed class ReferenceKernelTests
{
    // Two tokens, D = 1 (scale 1): q = (ln 3, 0), k = (1, 0), v = (2, 6).
    private static (Tensor Q, Tensor K, Tensor V) TwoTokens() =>
        (tensor(new[] { Math.Log(3), 0 }).view(1, 1, 2, 1), tensor(new[] { 1.0, 0 }).view(1, 1, 2, 1), tensor(new[] { 2.0, 6 }).view(1, 1, 2, 1));

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], 12);
    }

    [Fact]
    public void Full_GivesTheHandComputedSoftmaxAverage()
    {
        // Row 0 scores (ln 3, 0) → weights (3/4, 1/4) → 3; row 1 scores (0, 0) → (1/2, 1/2) → 4.
        var (q, k, v) = TwoTokens();
        var layout = AttentionLayout.Build(new FullPattern(), [2], 2);
        var output = new ReferenceKernel().Attend(q, k, v, layout);
        AssertClose([3.0, 4.0], output);
    }

    [Fact]
    public void Diagonal_ReturnsV_AndPaddingRowsAreZero()
    {
        var (q, k, v) = TwoTokens();
        var layout = AttentionLayout.Build(new LocalPattern(0), [1], 2);
        var output = new ReferenceKernel().Attend(q, k, v, layout);
        AssertClose([2.0, 0.0], output);
    }

    [Fact]
    public void Bias_IsAddedToTheScores()
    {
        // Adding ln 3 at (1, 0) makes row 1's scores (ln 3, 0) → 3.
        var (q, k, v) = TwoTokens();
        var bias = tensor(new[] { 0, 0, Math.Log(3), 0 }).view(1, 1, 2, 2);
        var layout = new AttentionLayout([CsrLayout.Build(new FullPattern(), new PatternContext(2))], 1, 1, bias);
        var output = new ReferenceKernel().Attend(q, k, v, layout);
        AssertClose([3.0, 3.0], output);
    }

    [Theory]
    [InlineData("local(2)+global(1)", 16, false)]
    [InlineData("irregular", 130, true)]
    public void Sdpa_WithBias_MatchesReference_IncludingTheBiasGradient(string pattern, int n, bool padding)
    {
        using var scope = NewDisposeScope();
        var plain = KernelTestData.Layout(pattern, n, padding);
        var (q, k, v, up) = KernelTestData.Inputs(plain.PaddedLength, ScalarType.Float64);
        var bias0 = randn([1, 2, plain.PaddedLength, plain.PaddedLength], dtype: ScalarType.Float64, generator: new Generator(3));  // [1, H, N, N]
        Tensor[] Run(AttentionKernel kernel)
        {
            var bias = bias0.detach().requires_grad_(true);
            var maps = Enumerable.Range(0, 4).Select(i => plain[i / 2, i % 2]).ToList();
            var (qq, kk, vv) = (q.detach().requires_grad_(true), k.detach().requires_grad_(true), v.detach().requires_grad_(true));
            var output = kernel.Attend(qq, kk, vv, new AttentionLayout(maps, 2, 2, bias));  // [2, 2, N, D]
            output.mul(up).sum().backward();
            return [output.detach(), qq.grad!, kk.grad!, vv.grad!, bias.grad!];
        }
        var expected = Run(new ReferenceKernel());
        var actual = Run(new SdpaKernel());
        for (int i = 0; i < expected.Length; i++)
            Assert.True(actual[i].sub(expected[i]).abs().max().item<double>() <= 1e-9, $"tensor {i} differs");
    }

    [Theory]
    [InlineData(AttentionKernelKind.Csr)]
    [InlineData(AttentionKernelKind.BlockSparse)]
    public void SparseKernels_RejectABias_SayingWhichKernelsTakeOne(AttentionKernelKind kind)
    {
        var (q, k, v) = TwoTokens();
        var layout = new AttentionLayout([CsrLayout.Build(new FullPattern(), new PatternContext(2))], 1, 1, zeros(1, 1, 2, 2));
        var error = Assert.Throws<NotSupportedException>(() => AttentionKernel.Create(kind).Attend(q, k, v, layout));
        Assert.Contains("Reference or Sdpa", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedLength_IsRejectedWithBothShapes()
    {
        var (q, k, v) = TwoTokens();
        var layout = AttentionLayout.Build(new FullPattern(), [3], 3);
        var error = Assert.Throws<ArgumentException>(() => new ReferenceKernel().Attend(q, k, v, layout));
        Assert.Contains("[1, 1, 2, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("N = 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DenseMask_MatchesTheCsrDenseView()
    {
        var layout = KernelTestData.Layout("irregular", 16, padding: true);
        using var mask = layout.DenseMask();                                       // [2, 2, 19, 19]
        for (int b = 0; b < 2; b++)
        {
            for (int h = 0; h < 2; h++)
            {
                var dense = layout[b, h].ToDense();
                for (int i = 0; i < 19; i++)
                {
                    for (int j = 0; j < 19; j++)
                        Assert.Equal(dense[i, j], mask[b, h, i, j].item<bool>());
                }
            }
        }
    }
}
