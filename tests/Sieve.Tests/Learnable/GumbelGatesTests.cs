// The relaxation core: straight-through forwards are exactly 0/1 (one-hot), their gradient is the soft relaxation's,
// the noise has the distribution the Gumbel tricks promise, and the temperature schedule follows its formula.
using Sieve.Learnable;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class GumbelGatesTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Binary_StraightThrough_ForwardExactly01_GradientOfSoft(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var logits = randn([4000], dtype: dtype, generator: new Generator(1)).mul(3).requires_grad_(true);
        var weights = randn([4000], dtype: dtype, generator: new Generator(2));
        var hard = GumbelGates.Binary(logits, 0.7, GateMode.StraightThrough, noise: true, new Generator(5));
        Assert.True(hard.eq(0).logical_or(hard.eq(1)).all().item<bool>(), "a straight-through gate is not exactly 0 or 1");
        Assert.True(hard.sum().to(ScalarType.Float64).item<double>() is > 500 and < 3500, "the gates should mix zeros and ones");
        hard.mul(weights).sum().backward();
        var straight = logits.grad!.clone();
        logits.grad!.zero_();
        var soft = GumbelGates.Binary(logits, 0.7, GateMode.Soft, noise: true, new Generator(5));
        soft.mul(weights).sum().backward();
        Assert.True(straight.allclose(logits.grad!, rtol: 0, atol: 0), "the straight-through gradient is not the soft one");
        // And the hard value is the soft value thresholded at 1/2 (the same noise).
        Assert.True(hard.detach().eq(soft.detach().gt(0.5).to(dtype)).all().item<bool>());
    }

    [Fact]
    public void Binary_WithoutNoise_IsTheThreshold_AndSoftIsSigmoid()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new[] { -2.0, -0.1, 0.2, 3.0 });
        var hard = GumbelGates.Binary(logits, 0.5, GateMode.StraightThrough, noise: false);
        Assert.Equal([0.0, 0.0, 1.0, 1.0], hard.data<double>().ToArray());
        Assert.Equal([0.0, 0.0, 1.0, 1.0], GumbelGates.BinaryThreshold(logits).data<double>().ToArray());
        var soft = GumbelGates.Binary(logits, 0.5, GateMode.Soft, noise: false);
        double[] expected = [.. new[] { -2.0, -0.1, 0.2, 3.0 }.Select(z => 1 / (1 + Math.Exp(-z / 0.5)))];
        Assert.Equal(expected, soft.data<double>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Binary_LogisticNoise_KeepsWithProbabilitySigmoidOfLogit()
    {
        // P(z + ℓ > 0) = σ(z) for standard logistic ℓ: the hard sample is Bernoulli(σ(z)), whatever τ is.
        using var scope = NewDisposeScope();
        var logits = tensor(new[] { -1.5, 0.0, 1.0 }).unsqueeze(0).expand(20000, 3).contiguous();
        var keep = GumbelGates.Binary(logits, 0.3, GateMode.StraightThrough, noise: true, new Generator(11)).mean([0]);
        double[] share = keep.data<double>().ToArray();
        double[] sigma = [1 / (1 + Math.Exp(1.5)), 0.5, 1 / (1 + Math.Exp(-1.0))];
        for (int m = 0; m < 3; m++) Assert.InRange(share[m], sigma[m] - 0.015, sigma[m] + 0.015);
    }

    [Fact]
    public void Categorical_StraightThrough_IsOneHot_GumbelMaxFrequencies_GradientOfSoft()
    {
        using var scope = NewDisposeScope();
        double[] z = [0.5, -1.0, 1.5, 0.0];
        var logits = tensor(z).unsqueeze(0).expand(20000, 4).contiguous().requires_grad_(true);
        var hot = GumbelGates.Categorical(logits, 2.0, GateMode.StraightThrough, noise: true, new Generator(3));
        Assert.True(hot.eq(0).logical_or(hot.eq(1)).all().item<bool>());
        Assert.True(hot.sum(-1).eq(1).all().item<bool>(), "each sample must be one-hot");
        // Gumbel-max: argmax(z + g) is distributed as softmax(z).
        double total = z.Sum(Math.Exp);
        double[] share = hot.detach().mean([0]).data<double>().ToArray();
        for (int m = 0; m < 4; m++) Assert.InRange(share[m], (Math.Exp(z[m]) / total) - 0.015, (Math.Exp(z[m]) / total) + 0.015);
        var weights = randn([20000, 4], dtype: ScalarType.Float64, generator: new Generator(4));
        hot.mul(weights).sum().backward();
        var straight = logits.grad!.clone();
        logits.grad!.zero_();
        GumbelGates.Categorical(logits, 2.0, GateMode.Soft, noise: true, new Generator(3)).mul(weights).sum().backward();
        Assert.True(straight.allclose(logits.grad!, rtol: 0, atol: 0));
        Assert.Equal([0.0, 0.0, 1.0, 0.0], GumbelGates.CategoricalArgmax(tensor(z)).data<double>().ToArray());
    }

    [Fact]
    public void NoiseScale_AnnealsLinearly_AndAtZeroTheSamplesAreTheThreshold()
    {
        var options = new GumbelOptions { AnnealingSteps = 100, NoiseEnd = 0 };
        Assert.Equal(1.0, options.NoiseScaleAt(0), 12);
        Assert.Equal(0.5, options.NoiseScaleAt(50), 12);
        Assert.Equal(0.0, options.NoiseScaleAt(100), 12);
        Assert.Equal(1.0, new GumbelOptions().NoiseScaleAt(1000), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GumbelOptions { NoiseEnd = 1.5 });

        using var scope = NewDisposeScope();
        var logits = tensor(new[] { -1.5, -0.01, 0.02, 1.0 }).unsqueeze(0).expand(500, 4).contiguous();
        var threshold = GumbelGates.BinaryThreshold(logits);
        var silent = GumbelGates.Binary(logits, 1.0, GateMode.StraightThrough, noise: true, new Generator(5), noiseScale: 0);
        Assert.True(silent.eq(threshold).all().item<bool>());
        // A small scale flips only the logits close to 0; full noise flips far ones too.
        var quiet = GumbelGates.Binary(logits, 1.0, GateMode.StraightThrough, noise: true, new Generator(5), noiseScale: 0.05).mean([0]);
        var loud = GumbelGates.Binary(logits, 1.0, GateMode.StraightThrough, noise: true, new Generator(5)).mean([0]);
        Assert.Equal(0.0, quiet[0].item<double>());
        Assert.Equal(1.0, quiet[3].item<double>());
        Assert.InRange(loud[0].item<double>(), 0.1, 0.3);   // σ(−1.5) ≈ 0.18
    }

    [Fact]
    public void Temperature_AnnealsGeometrically_ThenStays()
    {
        var options = new GumbelOptions { TemperatureStart = 1.0, TemperatureEnd = 0.1, AnnealingSteps = 100 };
        Assert.Equal(1.0, options.TemperatureAt(0), 12);
        Assert.Equal(Math.Sqrt(0.1), options.TemperatureAt(50), 12);
        Assert.Equal(0.1, options.TemperatureAt(100), 12);
        Assert.Equal(0.1, options.TemperatureAt(5000), 12);
        Assert.Equal(0.1, (options with { AnnealingSteps = 0 }).TemperatureAt(0), 12);
    }

    [Fact]
    public void Options_RejectBadValues_NamingThem()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GumbelOptions { TemperatureEnd = 0 });
        Assert.Contains("TemperatureEnd", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GumbelOptions { AnnealingSteps = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new GumbelOptions { LearningRate = double.NaN });
    }
}
