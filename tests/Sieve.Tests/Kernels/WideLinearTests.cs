// The 512-bit products of the linear layers (WideGemm, WideLinearFunction, Modeling/WideLinear) against torch's linear
// in float64: shapes whose rows, columns and depth end in partial tiles and slices, with and without a bias, the
// backward's three gradients, the transposed left operand, and the fallback to torch where the products do not apply.
using Sieve.Kernels;
using Sieve.Modeling;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

public sealed class WideLinearTests
{
    [Theory]
    [InlineData(64, 32, 64, true)]       // whole tiles, one depth slice
    [InlineData(300, 96, 768, true)]     // rows past the last whole tile, three depth slices
    [InlineData(13, 40, 300, true)]      // every edge: 13 rows, a 32 + 8 column split, depth 256 + 44
    [InlineData(129, 50, 257, false)]    // no bias; a 129th row alone in its item
    [InlineData(1024, 3072, 64, true)]   // wide output: 96 panels
    public void Forward_MatchesTorchLinear(int m, int n, int k, bool withBias)
    {
        if (!WideGemm.Supported) return;   // the CPU has no AVX-512: nothing of this runs (WideLinear falls back to torch)
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(7);
        var x = randn([m, k], generator: generator);
        var weight = randn([n, k], generator: generator).div_(Math.Sqrt(k));
        var bias = withBias ? randn([n], generator: generator) : null;
        var expected = nn.functional.linear(x.to_type(ScalarType.Float64), weight.to_type(ScalarType.Float64), bias?.to_type(ScalarType.Float64));
        var actual = WideLinearFunction.Forward(x, weight, bias);
        Assert.Equal([m, n], actual.shape);
        Assert.True(actual.to_type(ScalarType.Float64).allclose(expected, rtol: 1e-5, atol: 1e-4), $"max error {(actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>()}");
    }

    [Theory]
    [InlineData(37, 48, 70, true)]
    [InlineData(520, 64, 96, false)]     // a depth of 520 rows in dW: three slices, the last partial
    public void Backward_GivesTorchsGradients(int m, int n, int k, bool withBias)
    {
        if (!WideGemm.Supported) return;
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(11);
        var x = randn([m, k], generator: generator).requires_grad_();
        var weight = randn([n, k], generator: generator).requires_grad_();
        var bias = withBias ? randn([n], generator: generator).requires_grad_() : null;
        var upstream = randn([m, n], generator: generator);
        WideLinearFunction.apply(x, weight, bias!).mul(upstream).sum().backward();
        var (dx, dw, db) = (x.grad!.clone(), weight.grad!.clone(), bias?.grad?.clone());

        var (x64, w64) = (x.detach().to_type(ScalarType.Float64).requires_grad_(), weight.detach().to_type(ScalarType.Float64).requires_grad_());
        var b64 = bias?.detach().to_type(ScalarType.Float64).requires_grad_();
        nn.functional.linear(x64, w64, b64).mul(upstream.to_type(ScalarType.Float64)).sum().backward();
        AssertClose(x64.grad!, dx);
        AssertClose(w64.grad!, dw);
        if (withBias) AssertClose(b64!.grad!, db!);
    }

    [Fact]
    public void InputWithoutGradient_GetsNoneAndTheWeightStillDoes()
    {
        if (!WideGemm.Supported) return;
        using var scope = NewDisposeScope();
        var x = randn(40, 64);
        var weight = randn([32, 64]).requires_grad_();
        WideLinearFunction.apply(x, weight, null!).sum().backward();
        Assert.Null(x.grad);
        AssertClose(ones(32, 40).matmul(x), weight.grad!);   // d(Σ x·Wᵀ)/dW[j, k] = Σ_i x[i, k]
    }

    [Fact]
    public void FrozenWeight_GetsNoGradientAndTheInputStillDoes()
    {
        if (!WideGemm.Supported) return;
        using var scope = NewDisposeScope();
        var x = randn(40, 64).requires_grad_();
        var weight = randn(32, 64);
        var bias = randn(32);
        WideLinearFunction.apply(x, weight, bias).sum().backward();
        Assert.Null(weight.grad);
        Assert.Null(bias.grad);
        AssertClose(ones(40, 32).matmul(weight), x.grad!);   // d(Σ x·Wᵀ)/dx[i, k] = Σ_j W[j, k]
    }

    [Fact]
    public void TransposedLeftOperand_IsReadThroughItsStrides()
    {
        // A = Gᵀ for a row-major G [K, M]: element (i, k) at k·M + i, the layout of dW's product.
        if (!WideGemm.Supported) return;
        using var scope = NewDisposeScope();
        var g = randn(200, 45);
        var b = randn(200, 70);
        var c = empty(45, 70);
        WideGemm.Multiply(new WideGemm.Left(g, 1, 45), b, bTransposed: false, null, c, 45, 70, 200);
        AssertClose(g.t().to_type(ScalarType.Float64).matmul(b.to_type(ScalarType.Float64)), c);
    }

    [Fact]
    public void ModelLayer_MatchesItsOwnForward_WithAndWithoutGradients()
    {
        // A layer of a model's shape, input [B, N, K] large enough for the 512-bit products (3·300·512·640 multiply-adds):
        // WideLinear.Forward against Linear.forward, in inference and under autograd (the input's gradient too); tiny
        // products go to torch unchanged.
        using var scope = NewDisposeScope();
        var layer = nn.Linear(512, 640);
        var input = randn(3, 300, 512).requires_grad_();
        Assert.True(3L * 300 * 512 * 640 >= WideLinear.MinimumWork);
        var expected = layer.forward(input);
        var expectedGrad = autograd.grad([expected.pow(2).sum()], [input])[0];
        using (no_grad()) AssertClose(expected, WideLinear.Forward(layer, input));
        var actual = WideLinear.Forward(layer, input);
        AssertClose(expected, actual);
        AssertClose(expectedGrad, autograd.grad([actual.pow(2).sum()], [input])[0]);
        var small = nn.Linear(4, 2);
        var tiny = randn(2, 4);
        Assert.True(small.forward(tiny).allclose(WideLinear.Forward(small, tiny), rtol: 0, atol: 0));
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        var (e, a) = (expected.detach().to_type(ScalarType.Float64), actual.detach().to_type(ScalarType.Float64));
        Assert.Equal(e.shape, a.shape);
        double error = (e - a).abs().max().item<double>(), scale = e.abs().max().item<double>();
        Assert.True(error <= 1e-4 * Math.Max(scale, 1.0), $"max error {error} against a scale of {scale}");
    }
}
