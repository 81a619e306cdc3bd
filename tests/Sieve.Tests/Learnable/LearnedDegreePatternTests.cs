// Learned neighbour degrees (METHODS.md §2.4): straight-through gates are exact bands local(d), per-position gates are
// row-wise bands of each row's argmax degree, gradients match finite differences with fixed noise (soft end to end and
// straight-through by the chain rule), hardening equals the evaluation gates and runs on Csr like the reference.
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Patterns;
using static Sieve.Tests.Learnable.LearnableTestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class LearnedDegreePatternTests
{
    private static LearnedDegreePattern Make(DegreeGranularity per, Pattern? fixedPart = null, GumbelOptions? options = null, ulong seed = 6)
    {
        var module = new LearnedDegreePattern(2, 2, 3, per, 12, fixedPart, options, dtype: ScalarType.Float64);
        using (no_grad()) module.Logits.copy_(randn(module.Logits.shape, dtype: ScalarType.Float64, generator: new Generator(seed)).mul(2));
        return module;
    }

    [Fact]
    public void Gates_StraightThrough_PerHead_AreExactBands()
    {
        using var scope = NewDisposeScope();
        var module = Make(DegreeGranularity.Head);
        module.train();
        var widths = new HashSet<int>();
        for (int draw = 0; draw < 6; draw++)
        {
            module.NoiseGenerator = new Generator((ulong)(100 + draw));
            var gates = module.Gates(null, [10], 10, layer: 1);                            // [1, 2, 10, 10]
            for (int h = 0; h < 2; h++)
            {
                int d = (int)gates[0, h, 0].sum().item<double>() - 1;                       // row 0 keeps 0..d
                widths.Add(d);
                var band = AttentionLayout.Build(new LocalPattern(d), [10], 10).DenseMask().to(ScalarType.Float64)[0, 0];
                Assert.True(gates[0, h].eq(band).all().item<bool>(), $"head {h}: the gates are not the band local({d})");
            }
        }
        Assert.True(widths.Count > 1, "the noise should sample different degrees");
    }

    [Fact]
    public void Gates_Evaluation_PerPosition_AreRowWiseBandsOfTheArgmaxDegree()
    {
        using var scope = NewDisposeScope();
        var module = Make(DegreeGranularity.Position);
        module.eval();
        var gates = module.Gates(null, [9, 12], 12, layer: 0).data<double>().ToArray();     // [2, 2, 12, 12]
        var degrees = module.LearnedDegrees().Where(d => d.Layer == 0).ToArray();
        Assert.True(degrees.SelectMany(d => d.Degrees).Distinct().Count() > 2);
        for (int h = 0; h < 2; h++)
        {
            for (int i = 0; i < 9; i++)
            {
                for (int j = 0; j < 12; j++)
                    Assert.Equal(j < 9 && Math.Abs(i - j) <= degrees[h].Degrees[i] ? 1.0 : 0.0, gates[(((h * 12) + i) * 12) + j]);
            }
        }
    }

    [Theory]
    [InlineData(DegreeGranularity.Head, true)]
    [InlineData(DegreeGranularity.Position, false)]
    [InlineData(DegreeGranularity.Position, true)]
    public void Harden_EqualsEvaluationGates_AndCsrMatchesReference(DegreeGranularity per, bool withGlobal)
    {
        using var scope = NewDisposeScope();
        var module = Make(per, withGlobal ? new GlobalPattern(1) : null, seed: 16);
        module.eval();
        var pattern = module.Harden();
        int[] lengths = [12, 7, 2];
        for (int layer = 0; layer < 2; layer++)
            AssertHardenedMatchesGatesAndKernels(module.Gates(null, lengths, 12, layer), (_, h) => pattern.ForLayerHead(layer, h), lengths, 12, layer);
        Assert.Equal(pattern, PatternSpec.Parse(pattern.ToString()));
    }

    [Fact]
    public void Gradients_SoftMode_FixedNoise_MatchFiniteDifferences_PerPosition()
    {
        using var scope = NewDisposeScope();
        var module = Make(DegreeGranularity.Position, new GlobalPattern(1), new GumbelOptions { Mode = GateMode.Soft, TemperatureEnd = 0.9 });
        module.train();
        int[] lengths = [6, 4];
        var x = Inputs(2, 2, 6);
        Tensor Loss()
        {
            module.NoiseGenerator = new Generator(77);
            var gates = module.Gates(null, lengths, 6, layer: 1);
            return LearnableTestSupport.Loss(gates, x, lengths, 6, scale: 3.0).add(SparsityLoss.PerHead(gates, lengths).sum());
        }
        // Layer 1, head 0, positions 0..2, all four degrees: flat index ((1·2 + 0)·12 + p)·4 + d.
        AssertFiniteDifferences(Loss, module.Logits, Enumerable.Range(0, 12).Select(e => 96L + e));
    }

    [Fact]
    public void Gradients_StraightThrough_AreTheSoftRelaxationsThroughTheHardBand()
    {
        using var scope = NewDisposeScope();
        var hard = Make(DegreeGranularity.Head, null, new GumbelOptions { TemperatureEnd = 0.8 });
        var soft = Make(DegreeGranularity.Head, null, new GumbelOptions { TemperatureEnd = 0.8, Mode = GateMode.Soft });
        hard.train();
        soft.train();
        int[] lengths = [8, 6];
        var x = Inputs(2, 2, 8);
        Tensor Gates(LearnedDegreePattern m)
        {
            m.NoiseGenerator = new Generator(5);
            return m.Gates(null, lengths, 8, layer: 0);
        }
        AssertStraightThroughChainRule(() => Gates(hard), () => Gates(soft),
            g => Loss(g, x, lengths, 8, scale: 1e4).add(SparsityLoss.PerHead(g, lengths).sum().mul(50)),
            hard.Logits, soft.Logits, Enumerable.Range(0, 8).Select(e => (long)e));
    }

    [Fact]
    public void StateDict_RoundTrips_AndTooLongBatchesAreRefused()
    {
        var trained = Make(DegreeGranularity.Position, new GlobalPattern(1), seed: 40);
        var reloaded = new LearnedDegreePattern(2, 2, 3, DegreeGranularity.Position, 12, new GlobalPattern(1), dtype: ScalarType.Float64);
        Assert.NotEqual(trained.Harden(), reloaded.Harden());
        RoundTrip(trained, reloaded);
        Assert.Equal(trained.Harden(), reloaded.Harden());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => reloaded.Gates(null, [13], 13, 0));
        Assert.Contains("max_length", error.Message, StringComparison.Ordinal);
    }
}
