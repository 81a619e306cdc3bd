// SparseBERT's learned diagonal: exact 0/1 Toeplitz gates with padding zero, gradients against finite differences with
// fixed noise (soft mode end to end, straight-through by the chain rule), hardening equal to the evaluation gates and
// run by the Csr kernel like the reference, the state dict round trip, and the frozen fixed level.
using Sieve.Learnable;
using Sieve.Patterns;
using static Sieve.Tests.Learnable.LearnableTestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class LearnedDiagonalPatternTests
{
    private static LearnedDiagonalPattern Make(DiagonalLevel level, Pattern? fixedPart, GumbelOptions? options = null, ulong seed = 5, int layers = 2, int maxOffset = 4)
    {
        var module = new LearnedDiagonalPattern(layers, 2, maxOffset, level, fixedPart, options, dtype: ScalarType.Float64);
        using (no_grad()) module.Logits.copy_(randn(module.Logits.shape, dtype: ScalarType.Float64, generator: new Generator(seed)));
        return module;
    }

    [Fact]
    public void Gates_Training_AreExactly01_Toeplitz_ZeroOnPadding()
    {
        using var scope = NewDisposeScope();
        var module = Make(DiagonalLevel.TaskAndLayer, null);
        module.train();
        module.NoiseGenerator = new Generator(9);
        int[] lengths = [9, 5];
        var gates = module.Gates(null, lengths, 10, layer: 1);                              // [2, 2, 10, 10]
        Assert.Equal([2L, 2, 10, 10], gates.shape);
        Assert.True(gates.eq(0).logical_or(gates.eq(1)).all().item<bool>(), "training gates must be exactly 0 or 1");
        var g = gates.data<double>().ToArray();
        double At(int b, int h, int i, int j) => g[(((((b * 2) + h) * 10) + i) * 10) + j];
        for (int h = 0; h < 2; h++)
        {
            for (int i = 0; i < 9; i++)
            {
                for (int j = 0; j < 9; j++)
                {
                    if (Math.Abs(i - j) > 4) Assert.Equal(0.0, At(0, h, i, j));
                    Assert.Equal(At(0, h, i, j), At(0, h, j, i));
                    if (i + 1 < 9 && j + 1 < 9 && At(0, h, i, j) + At(0, h, i + 1, j + 1) == 1)
                    {
                        // Only the diagonal added to an empty row may break the Toeplitz shape.
                        Assert.True(i == j || i + 1 == j + 1);
                    }
                }
            }
            for (int i = 0; i < 10; i++) Assert.Equal(0.0, At(0, h, 9, i) + At(0, h, i, 9));
            for (int i = 5; i < 10; i++) Assert.Equal(0.0, Enumerable.Range(0, 10).Sum(j => At(1, h, i, j) + At(1, h, j, i)));
        }
        // One sample per step, shared by the batch: both examples agree on their common block.
        Assert.True(gates[0, .., ..5, ..5].eq(gates[1, .., ..5, ..5]).all().item<bool>());
    }

    [Fact]
    public void Gates_Evaluation_KeepOffsetIffLogitPositive()
    {
        using var scope = NewDisposeScope();
        var module = Make(DiagonalLevel.Task, null);
        module.eval();
        var gates = module.Gates(null, [8], 8, layer: 1);                                   // [1, 2, 8, 8]
        var logits = module.Logits.detach()[0];                                             // [2, 5]
        for (int h = 0; h < 2; h++)
        {
            for (int o = 1; o <= 4; o++)
                Assert.Equal(logits[h, o].item<double>() > 0 ? 1.0 : 0.0, gates[0, h, 7 - o, 7].item<double>());
        }
    }

    [Fact]
    public void Gradients_SoftMode_FixedNoise_MatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var module = Make(DiagonalLevel.TaskAndLayer, new GlobalPattern(1), new GumbelOptions { Mode = GateMode.Soft, TemperatureEnd = 0.8 });
        module.train();
        int[] lengths = [7, 5];
        var x = Inputs(2, 2, 8);
        Tensor Loss()
        {
            module.NoiseGenerator = new Generator(31);                                      // the same noise every call
            var gates = module.Gates(null, lengths, 8, layer: 1);
            return LearnableTestSupport.Loss(gates, x, lengths, 8, scale: 3.0).add(SparsityLoss.PerHead(gates, lengths).sum());
        }
        AssertFiniteDifferences(Loss, module.Logits, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
        // Layer 0's logits get no gradient from layer 1's gates (task+layer).
        Assert.Equal(0.0, module.Logits.grad![0].abs().sum().item<double>());
    }

    [Fact]
    public void Gradients_StraightThrough_AreTheSoftRelaxationsThroughTheHardMask()
    {
        using var scope = NewDisposeScope();
        var hard = Make(DiagonalLevel.Task, new GlobalPattern(1), new GumbelOptions { TemperatureEnd = 0.7 });
        var soft = Make(DiagonalLevel.Task, new GlobalPattern(1), new GumbelOptions { TemperatureEnd = 0.7, Mode = GateMode.Soft });
        using (no_grad()) soft.Logits.copy_(hard.Logits);
        hard.train();
        soft.train();
        int[] lengths = [7, 6];
        var x = Inputs(2, 2, 8);
        Tensor Gates(LearnedDiagonalPattern m)
        {
            m.NoiseGenerator = new Generator(41);
            return m.Gates(null, lengths, 8, layer: 0);
        }
        AssertStraightThroughChainRule(() => Gates(hard), () => Gates(soft),
            g => Loss(g, x, lengths, 8, scale: 1e4).add(SparsityLoss.PerHead(g, lengths).sum().mul(50)),
            hard.Logits, soft.Logits, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Harden_EqualsEvaluationGates_AndCsrMatchesReference(bool withGlobal)
    {
        using var scope = NewDisposeScope();
        var module = Make(DiagonalLevel.TaskAndLayer, withGlobal ? new GlobalPattern(1) : null, seed: 8, maxOffset: 5);
        module.eval();
        var pattern = module.Harden();
        int[] lengths = [11, 4, 9];
        for (int layer = 0; layer < 2; layer++)
        {
            var gates = module.Gates(null, lengths, 12, layer);                             // [3, 2, 12, 12]
            AssertHardenedMatchesGatesAndKernels(gates, (_, h) => pattern.ForLayerHead(layer, h), lengths, 12, layer);
        }
        Assert.Equal(pattern, PatternSpec.Parse(pattern.ToString()));
    }

    [Fact]
    public void Harden_PrintsDiagonalsPerHead_MergingEqualHeadsAndLayers()
    {
        var module = new LearnedDiagonalPattern(3, 2, 3, DiagonalLevel.TaskAndLayer, new GlobalPattern(1));
        using (no_grad())
        {
            module.Logits.fill_(-1.0);
            module.Logits[.., .., 0] = 1.0;                                                   // every head keeps offset 0
            module.Logits[.., 0, 2] = 1.0;                                                    // head 0 also offset 2
            module.Logits[2, 1, 1] = 1.0;                                                     // layer 2, head 1 also offset 1
        }
        Assert.Equal("layers(0-1:heads(0:diagonal(0,2)+global(1);1:diagonal(0)+global(1));2:heads(0:diagonal(0,2)+global(1);1:diagonal(0,1)+global(1)))",
            module.Harden().ToString());
        Assert.Equal([0, 2], module.LearnedOffsets()[0].Offsets);
        var shared = new LearnedDiagonalPattern(3, 2, 3, DiagonalLevel.Task, new GlobalPattern(1), new GumbelOptions { InitialLogit = -2 });
        Assert.Equal("global(1)", shared.Harden().ToString());
        Assert.Null(shared.LearnedOffsets()[0].Layer);
    }

    [Fact]
    public void StateDict_RoundTripsThroughSafeTensors_ToTheIdenticalPattern()
    {
        var trained = Make(DiagonalLevel.TaskAndLayer, new GlobalPattern(1), seed: 12, layers: 3, maxOffset: 16);
        var reloaded = new LearnedDiagonalPattern(3, 2, 16, DiagonalLevel.TaskAndLayer, new GlobalPattern(1), dtype: ScalarType.Float64);
        Assert.NotEqual(trained.Harden(), reloaded.Harden());
        RoundTrip(trained, reloaded);
        Assert.Equal(["logits"], reloaded.state_dict().Keys);
        Assert.Equal(trained.Harden(), reloaded.Harden());
        Assert.True(trained.Logits.eq(reloaded.Logits).all().item<bool>());
    }

    [Fact]
    public void FixedLevel_IsFrozen_NoNoiseInTraining_NoPatternParameters()
    {
        using var scope = NewDisposeScope();
        var frozen = Make(DiagonalLevel.Fixed, new GlobalPattern(1));
        Assert.Empty(frozen.PatternParameters());
        Assert.Single(Make(DiagonalLevel.Task, null).PatternParameters());
        frozen.train();
        var training = frozen.Gates(null, [10], 10, 0);
        frozen.eval();
        Assert.True(training.eq(frozen.Gates(null, [10], 10, 0)).all().item<bool>());
    }
}
