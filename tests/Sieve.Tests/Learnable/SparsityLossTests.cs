// AAA Eq. 9 and Eq. 10: ρ from gates on real lengths equals the closed forms of METHODS.md §1.2, ignores padding, is
// differentiable with the right gradient; the hinge and both α schedules give their hand-computed values.
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class SparsityLossTests
{
    private static Tensor Gates(Pattern pattern, int[] lengths, int padded) =>
        AttentionLayout.Build(pattern, lengths, padded).DenseMask().to(ScalarType.Float64);   // [B, 1, N, N]

    [Theory]
    [InlineData("local2", 5, -6)]
    [InlineData("local2+global2", 9, -20)]
    [InlineData("local2+global1", 7, -12)]
    public void PerHead_OnKnownMasks_EqualsClosedForm(string name, int perToken, int constant)
    {
        using var scope = NewDisposeScope();
        Pattern pattern = name switch
        {
            "local2" => new LocalPattern(2),
            "local2+global2" => new LocalPattern(2) + new GlobalPattern(2),
            _ => new LocalPattern(2) + new GlobalPattern(1),
        };
        int[] lengths = [40, 128, 17];
        var rho = SparsityLoss.PerHead(Gates(pattern, lengths, 130), lengths);
        double expected = lengths.Average(n => 1 - (((double)perToken * n) + constant) / ((double)n * n));
        Assert.Equal([1L], rho.shape);
        Assert.Equal(expected, rho.item<double>(), 12);
    }

    [Fact]
    public void PerHead_PaperNumbers_N40()
    {
        using var scope = NewDisposeScope();
        var rho = SparsityLoss.PerHead(Gates(new LocalPattern(2) + new GlobalPattern(2), [40], 40), [40]);
        Assert.Equal(0.7875, rho.item<double>(), 12);   // METHODS.md §1.2
    }

    [Fact]
    public void PerHead_IgnoresPadding_AndSeparatesHeads()
    {
        using var scope = NewDisposeScope();
        int[] lengths = [10, 6];
        var head0 = Gates(new LocalPattern(1), lengths, 12);                                 // [2, 1, 12, 12]
        var head1 = Gates(new FullPattern(), lengths, 12);                                   // [2, 1, 12, 12]
        var gates = cat([head0, head1], 1);                                                 // [2, 2, 12, 12]
        var noisy = gates.clone();
        noisy[1, TensorIndex.Colon, 6.., TensorIndex.Colon] = 1.0;                          // padding rows of example 1
        noisy[1, TensorIndex.Colon, TensorIndex.Colon, 6..] = 1.0;                          // padding keys
        var rho = SparsityLoss.PerHead(noisy, lengths).data<double>().ToArray();
        double local = ((1 - (28.0 / 100)) + (1 - (16.0 / 36))) / 2;                        // 3N − 2 entries
        Assert.Equal(local, rho[0], 12);
        Assert.Equal(0.0, rho[1], 12);
        Assert.Equal(local / 2, SparsityLoss.Mean([SparsityLoss.PerHead(gates, lengths)]).item<double>(), 12);
    }

    [Fact]
    public void PerHead_Gradient_IsMinusOneOverCountTimesNSquared_InsideTheRealBlock()
    {
        using var scope = NewDisposeScope();
        int[] lengths = [4, 2];
        var gates = full([2, 1, 5, 5], 0.5, dtype: ScalarType.Float64).requires_grad_(true);
        SparsityLoss.PerHead(gates, lengths).sum().backward();
        var grad = gates.grad!;
        Assert.Equal(-1.0 / (2 * 16), grad[0, 0, 3, 3].item<double>(), 15);
        Assert.Equal(0.0, grad[0, 0, 4, 0].item<double>(), 15);
        Assert.Equal(-1.0 / (2 * 4), grad[1, 0, 1, 0].item<double>(), 15);
        Assert.Equal(0.0, grad[1, 0, 2, 2].item<double>(), 15);
    }

    [Fact]
    public void Hinge_IsAlphaTimesShortfall_ZeroAboveTarget()
    {
        using var scope = NewDisposeScope();
        var loss = new SparsityLoss { Target = 0.8, Alpha = 2.0 };
        var rho = tensor(0.5, dtype: ScalarType.Float64).requires_grad_(true);
        var value = loss.Loss(rho, 0, 10);
        Assert.Equal(0.6, value.item<double>(), 12);
        value.backward();
        Assert.Equal(-2.0, rho.grad!.item<double>(), 12);
        Assert.Equal(0.0, loss.Loss(tensor(0.9), 0, 10).item<double>(), 12);
    }

    [Fact]
    public void TwoSided_IsAlphaTimesDistance_OnBothSidesOfTheTarget()
    {
        using var scope = NewDisposeScope();
        var loss = new SparsityLoss { Target = 0.8, Alpha = 2.0, Penalty = SparsityPenalty.TwoSided };
        var below = tensor(0.5, dtype: ScalarType.Float64).requires_grad_(true);
        var above = tensor(0.95, dtype: ScalarType.Float64).requires_grad_(true);
        loss.Loss(below, 0, 10).backward();
        var value = loss.Loss(above, 0, 10);
        value.backward();
        Assert.Equal(0.3, value.item<double>(), 12);
        Assert.Equal(-2.0, below.grad!.item<double>(), 12);   // below the target: push ρ up
        Assert.Equal(2.0, above.grad!.item<double>(), 12);    // above it: pull ρ back down
    }

    [Fact]
    public void Alpha_LinearToHalf_RampsThenStays_ConstantStays()
    {
        var loss = new SparsityLoss { Alpha = 4.0, Schedule = AlphaSchedule.LinearToHalf };
        Assert.Equal(0.0, loss.AlphaAt(0, 1000), 12);
        Assert.Equal(2.0, loss.AlphaAt(250, 1000), 12);
        Assert.Equal(4.0, loss.AlphaAt(500, 1000), 12);
        Assert.Equal(4.0, loss.AlphaAt(900, 1000), 12);
        Assert.Equal(4.0, (loss with { Schedule = AlphaSchedule.Constant }).AlphaAt(0, 1000), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SparsityLoss { Target = 1.5 });
    }

    [Fact]
    public void SparsityAt_OtherLengths_IsEq9OfTheHardenedPatternThere_AndDifferentiable()
    {
        using var scope = NewDisposeScope();
        var module = new LearnedDegreePattern(2, 2, 3, DegreeGranularity.Head, 40, new GlobalPattern(1), dtype: ScalarType.Float64);
        using (no_grad()) module.Logits.copy_(randn(module.Logits.shape, dtype: ScalarType.Float64, generator: new Generator(3)).mul(2));
        module.eval();
        int[] lengths = [7, 19, 40];
        double expected = Enumerable.Range(0, 2).Average(layer => Enumerable.Range(0, 2).Average(head =>
            lengths.Average(n => 1 - CsrLayout.Build(module.Harden(), new PatternContext(n) { Layer = layer, Head = head }).Keys.Length / (double)(n * n))));
        Assert.Equal(expected, module.SparsityAt(lengths, layers: 2).item<double>(), 12);

        // Training gates: a penalty on ρ at these lengths reaches the logits.
        module.train();
        module.NoiseGenerator = new Generator(5);
        module.SparsityAt(lengths, layers: 2).backward();
        Assert.True(module.Logits.grad!.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void SparsityAt_OfAPatternThatReadsItsInput_IsRefused()
    {
        using var module = new AxisAttentionPattern(1, 8, 2, dtype: ScalarType.Float64);
        var error = Assert.Throws<InvalidOperationException>(() => module.SparsityAt([5, 9], layers: 1));
        Assert.Contains("depend on the layer's input", error.Message, StringComparison.Ordinal);
    }
}
