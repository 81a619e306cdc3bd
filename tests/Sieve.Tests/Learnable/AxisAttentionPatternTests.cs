// Adaptive Axis Attention: exact 0/1 gates equal to Eq. 12 OR local(2) computed by hand from the linear maps, padding
// never selected even where its hidden state would be, finite-difference gradients of the maps with fixed noise,
// per-input hardening equal to the evaluation gates and run by Csr like the reference, Table 6 shares, round trip.
using Sieve.Learnable;
using static Sieve.Tests.Learnable.LearnableTestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class AxisAttentionPatternTests
{
    private const int Hidden = 6;

    private static AxisAttentionPattern Make(GumbelOptions? options = null, ulong seed = 3)
    {
        var module = new AxisAttentionPattern(2, Hidden, 2, null, options, dtype: ScalarType.Float64);
        var generator = new Generator(seed);
        using (no_grad())
        {
            for (int layer = 0; layer < 2; layer++)
            {
                module.Scorer(layer).weight!.copy_(randn([2, Hidden], dtype: ScalarType.Float64, generator: generator));
                module.Scorer(layer).bias!.copy_(randn([2], dtype: ScalarType.Float64, generator: generator).sub(1.5));
            }
        }
        return module;
    }

    private static Tensor HiddenStates(int[] lengths, int padded, ulong seed = 4)
    {
        var hidden = randn([lengths.Length, padded, Hidden], dtype: ScalarType.Float64, generator: new Generator(seed));
        for (int b = 0; b < lengths.Length; b++) hidden[b, lengths[b]..] = 100.0;          // padding that would be selected
        return hidden;
    }

    [Fact]
    public void Gates_AreExactly01_Eq12OrLocal2_PaddingNeverSelected()
    {
        using var scope = NewDisposeScope();
        var module = Make();
        int[] lengths = [9, 5];
        var hidden = HiddenStates(lengths, 10);
        module.train();
        module.NoiseGenerator = new Generator(2);
        var training = module.Gates(hidden, lengths, 10, layer: 1);                         // [2, 1, 10, 10]
        Assert.Equal([2L, 1, 10, 10], training.shape);
        Assert.True(training.eq(0).logical_or(training.eq(1)).all().item<bool>());
        Assert.Equal(0.0, training[1, 0, 5.., ..].abs().sum().item<double>() + training[1, 0, .., 5..].abs().sum().item<double>());
        module.eval();
        var gates = module.Gates(hidden, lengths, 10, layer: 1).data<double>().ToArray();
        var logits = module.Scorer(1).forward(hidden).detach().data<double>().ToArray();   // [2, 10, 2]
        int rowsSeen = 0, colsSeen = 0;
        for (int b = 0; b < 2; b++)
        {
            for (int i = 0; i < 10; i++)
            {
                bool row = logits[(((b * 10) + i) * 2) + 0] > 0;
                rowsSeen += row && i < lengths[b] ? 1 : 0;
                for (int j = 0; j < 10; j++)
                {
                    bool col = logits[(((b * 10) + j) * 2) + 1] > 0;
                    colsSeen += col && i == 0 && j < lengths[b] ? 1 : 0;
                    bool expected = i < lengths[b] && j < lengths[b] && (row || col || Math.Abs(i - j) <= 2);
                    Assert.Equal(expected ? 1.0 : 0.0, gates[(((b * 10) + i) * 10) + j]);
                }
            }
        }
        Assert.True(rowsSeen > 0 && colsSeen > 0 && rowsSeen + colsSeen < 28, "the test needs some but not all tokens selected");
    }

    [Fact]
    public void Gradients_SoftMode_FixedNoise_MatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var module = Make(new GumbelOptions { Mode = GateMode.Soft });
        module.train();
        int[] lengths = [7, 5];
        var hidden = HiddenStates(lengths, 8);
        var x = Inputs(2, 2, 8);
        Tensor Loss()
        {
            module.NoiseGenerator = new Generator(8);
            var gates = module.Gates(hidden, lengths, 8, layer: 0);
            return LearnableTestSupport.Loss(gates, x, lengths, 8, scale: 3.0).add(SparsityLoss.PerHead(gates, lengths).sum());
        }
        AssertFiniteDifferences(Loss, module.Scorer(0).weight!, Enumerable.Range(0, 12).Select(e => (long)e));
        AssertFiniteDifferences(Loss, module.Scorer(0).bias!, [0, 1]);
    }

    [Fact]
    public void HardenBatch_EqualsEvaluationGates_AndCsrMatchesReference()
    {
        using var scope = NewDisposeScope();
        var module = Make(seed: 13);
        module.eval();
        int[] lengths = [12, 3, 9];
        var hidden = HiddenStates(lengths, 12, seed: 14);
        for (int layer = 0; layer < 2; layer++)
        {
            var patterns = module.HardenBatch(hidden, lengths, layer);
            Assert.All(patterns, p => Assert.EndsWith("local(2)", p.ToString(), StringComparison.Ordinal));
            Assert.Contains(patterns, p => p.ToString().StartsWith("axis(", StringComparison.Ordinal));
            AssertHardenedMatchesGatesAndKernels(module.Gates(hidden, lengths, 12, layer), (b, _) => patterns[b], lengths, 12, layer);
            Assert.Equal(patterns[1], module.HardenFor(hidden[1], lengths[1], layer));
        }
        Assert.True(module.IsInputDependent);
        Assert.Throws<InvalidOperationException>(() => module.Harden());
    }

    [Fact]
    public void Selection_CountsRowsAndColumnsOfRealTokens()
    {
        using var scope = NewDisposeScope();
        var module = Make(seed: 21);
        int[] lengths = [10, 6];
        var hidden = HiddenStates(lengths, 10, seed: 22);
        var logits = module.Scorer(0).forward(hidden).detach().data<double>().ToArray();   // [2, 10, 2]
        double rows = 0, cols = 0;
        for (int b = 0; b < 2; b++)
        {
            for (int p = 0; p < lengths[b]; p++)
            {
                rows += logits[(((b * 10) + p) * 2) + 0] > 0 ? 1 : 0;
                cols += logits[(((b * 10) + p) * 2) + 1] > 0 ? 1 : 0;
            }
        }
        Assert.Equal(new AxisSelection(0, rows / 16, cols / 16, 16), module.Selection(hidden, lengths, 0));
    }

    [Fact]
    public void StateDict_RoundTripsThroughSafeTensors_ToTheIdenticalPatterns()
    {
        using var scope = NewDisposeScope();
        var trained = Make(seed: 31);
        var reloaded = new AxisAttentionPattern(2, Hidden, 2, null, null, dtype: ScalarType.Float64);
        int[] lengths = [8, 5];
        var hidden = HiddenStates(lengths, 8, seed: 32);
        Assert.NotEqual(trained.HardenBatch(hidden, lengths, 1), reloaded.HardenBatch(hidden, lengths, 1));
        RoundTrip(trained, reloaded);
        Assert.Equal(["scorers.0.bias", "scorers.0.weight", "scorers.1.bias", "scorers.1.weight"], reloaded.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(trained.HardenBatch(hidden, lengths, 1), reloaded.HardenBatch(hidden, lengths, 1));
    }
}
