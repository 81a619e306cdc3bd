// Proves libtorch loads and computes from the test host: tensors, matmul and autograd against numbers worked by hand.
using static TorchSharp.torch;

namespace Sieve.Tests;

public sealed class TorchSmokeTests
{
    [Fact]
    public void Matmul_MatchesHandComputedProduct()
    {
        using var a = tensor(new double[] { 1, 2, 3, 4 }, 2, 2);   // [2, 2]
        using var b = tensor(new double[] { 5, 6, 7, 8 }, 2, 2);   // [2, 2]
        using var c = a.matmul(b);                                  // [2, 2]
        Assert.Equal(new double[] { 19, 22, 43, 50 }, c.data<double>().ToArray());
    }

    [Fact]
    public void Backward_GivesTheAnalyticGradient()
    {
        // f(x) = sum(x^2 * w) with w = [1, 2, 3] has df/dx = 2 x w.
        using var x = tensor(new double[] { 0.5, -1.0, 2.0 }, requires_grad: true);
        using var w = tensor(new double[] { 1, 2, 3 });
        using var f = (x.pow(2) * w).sum();
        f.backward();
        Assert.Equal(0.25 + 2 + 12, f.item<double>(), 12);
        Assert.Equal(new double[] { 1.0, -4.0, 12.0 }, x.grad!.data<double>().ToArray());
    }

    [Fact]
    public void Softmax_OfKnownLogits_IsKnown()
    {
        using var logits = tensor(new float[] { 0f, (float)Math.Log(3.0) });
        using var p = logits.softmax(0);
        Assert.Equal(0.25f, p[0].item<float>(), 6);
        Assert.Equal(0.75f, p[1].item<float>(), 6);
    }
}
