// Shared checks of the learnable-pattern tests: a tiny attention "model" (the reference kernel under the gates' bias),
// finite differences with fixed noise, the straight-through chain rule, and hardened pattern ↔ gates ↔ kernels.
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Patterns;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

internal static class LearnableTestSupport
{
    /// <summary>A two-layer, two-head BERT of width 16 without dropout, with three labels, for the model-level tests.</summary>
    public static BertConfig TinyBertConfig => new()
    {
        VocabSize = 40,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 32,
        NumLabels = 3,
        HiddenDropoutProb = 0,
        AttentionProbsDropoutProb = 0,
    };

    /// <summary>Moves every parameter of the pattern away from its uniform start, so the hard pattern differs per head and layer.</summary>
    public static void Scramble(LearnablePattern learned, double spread = 4)
    {
        using var _ = no_grad();
        foreach (var p in learned.parameters()) p.add_(randn_like(p) * spread);
    }

    /// <summary>q, k, v [B, H, N, D] and an upstream gradient, float64, from a fixed seed.</summary>
    public static (Tensor Q, Tensor K, Tensor V, Tensor Up) Inputs(int batch, int heads, int padded, int dim = 4, ulong seed = 17)
    {
        var generator = new Generator(seed);
        Tensor Make() => randn([batch, heads, padded, dim], dtype: ScalarType.Float64, generator: generator);
        return (Make(), Make(), Make(), Make());
    }

    /// <summary>
    /// The tiny model's loss: Σ up ⊙ Reference(q, k, v) over the padding-only (full on real lengths) layout with the
    /// gates' additive bias (g − 1)·C.
    /// </summary>
    public static Tensor Loss(Tensor gates, (Tensor Q, Tensor K, Tensor V, Tensor Up) x, int[] lengths, int padded, double scale)
    {
        var full = AttentionLayout.Build(new FullPattern(), lengths, padded);
        var layout = new AttentionLayout([.. Enumerable.Range(0, lengths.Length).Select(b => full[b, 0])], lengths.Length, 1, LearnablePattern.GateBias(gates, scale));
        return new ReferenceKernel().Attend(x.Q, x.K, x.V, layout).mul(x.Up).sum();
    }

    /// <summary>Central differences of <paramref name="loss"/> in the chosen entries of <paramref name="parameter"/> against autograd.</summary>
    public static void AssertFiniteDifferences(Func<Tensor> loss, Parameter parameter, IEnumerable<long> entries, double step = 1e-6, double tolerance = 1e-6)
    {
        parameter.grad?.zero_();
        loss().backward();
        double[] analytic = parameter.grad!.to(ScalarType.Float64).flatten().data<double>().ToArray();
        var flat = parameter.detach().view(-1);                                             // shares storage
        int nonZero = 0;
        foreach (long entry in entries)
        {
            double original = flat[entry].item<double>();
            double plus, minus;
            using (no_grad())
            {
                flat[entry] = original + step;
                plus = loss().item<double>();
                flat[entry] = original - step;
                minus = loss().item<double>();
                flat[entry] = original;
            }
            double numeric = (plus - minus) / (2 * step);
            if (Math.Abs(numeric) > 1e-4) nonZero++;
            Assert.True(Math.Abs(numeric - analytic[entry]) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                $"entry {entry}: autograd {analytic[entry]:R}, finite differences {numeric:R}");
        }
        Assert.True(nonZero > 0, "every checked gradient is zero: the check would pass without any gradient reaching the logits");
    }

    /// <summary>
    /// Straight-through: the gradient of the logits equals Σ_ij ∂L/∂G_ij (at the hard gates) · ∂S_ij/∂θ, with S the soft
    /// relaxation's gates under the same noise, differentiated by central differences.
    /// </summary>
    public static void AssertStraightThroughChainRule(Func<Tensor> hardGates, Func<Tensor> softGates, Func<Tensor, Tensor> loss,
        Parameter hardParameter, Parameter softParameter, IEnumerable<long> entries, double step = 1e-6)
    {
        hardParameter.grad?.zero_();
        var gates = hardGates();
        loss(gates).backward();
        double[] analytic = hardParameter.grad!.flatten().data<double>().ToArray();
        var leaf = gates.detach().clone().requires_grad_(true);
        loss(leaf).backward();
        var upstream = leaf.grad!;                                                          // ∂L/∂G at the hard gates
        var flat = softParameter.detach().view(-1);
        int nonZero = 0;
        foreach (long entry in entries)
        {
            double original = flat[entry].item<double>();
            Tensor plus, minus;
            using (no_grad())
            {
                flat[entry] = original + step;
                plus = softGates();
                flat[entry] = original - step;
                minus = softGates();
                flat[entry] = original;
            }
            double expected = plus.sub(minus).div(2 * step).mul(upstream).sum().item<double>();
            if (Math.Abs(expected) > 1e-4) nonZero++;
            Assert.True(Math.Abs(expected - analytic[entry]) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                $"entry {entry}: straight-through gradient {analytic[entry]:R}, soft Jacobian × ∂L/∂G {expected:R}");
        }
        Assert.True(nonZero > 0, "every checked straight-through gradient is zero");
    }

    /// <summary>
    /// The hardened patterns (per example and head) bound under the default EmptyRowPolicy give exactly the evaluation
    /// gates, and the Csr kernel on them equals the reference kernel under the gates' bias (the training path).
    /// </summary>
    public static void AssertHardenedMatchesGatesAndKernels(Tensor evalGates, Func<int, int, Pattern> hardened, int[] lengths, int padded, int layer)
    {
        int heads = (int)evalGates.shape[1];
        var maps = new List<CsrLayout>();
        for (int b = 0; b < lengths.Length; b++)
        {
            for (int h = 0; h < heads; h++)
                maps.Add(CsrLayout.Build(hardened(b, h), new PatternContext(lengths[b]) { PaddedLength = padded, Example = b, Layer = layer, Head = h }));
        }
        var layout = new AttentionLayout(maps, lengths.Length, heads);
        Assert.Equal(evalGates.shape, layout.DenseMask().shape);
        Assert.True(layout.DenseMask().to(ScalarType.Float64).eq(evalGates).all().item<bool>(), "the hardened pattern differs from the evaluation gates");
        var x = Inputs(lengths.Length, 2, padded, seed: 23);
        var sparse = new CsrKernel().Attend(x.Q, x.K, x.V, layout);                        // [B, 2, N, D]
        var full = AttentionLayout.Build(new FullPattern(), lengths, padded);
        var biased = new AttentionLayout([.. Enumerable.Range(0, lengths.Length).Select(b => full[b, 0])], lengths.Length, 1, LearnablePattern.GateBias(evalGates));
        var dense = new ReferenceKernel().Attend(x.Q, x.K, x.V, biased);                    // [B, 2, N, D]
        double difference = sparse.sub(dense).abs().max().item<double>();
        Assert.True(difference < 1e-12, $"Csr on the hardened pattern and Reference under the gates' bias differ by {difference}");
    }

    /// <summary>The state dict written with SafeTensorsWriter and read back with SafeTensorsFile into <paramref name="target"/>.</summary>
    public static void RoundTrip(nn.Module source, nn.Module target)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sieve-learnable-{Guid.NewGuid():N}.safetensors");
        try
        {
            Sieve.Checkpoints.SafeTensorsWriter.Write(path, source.state_dict());
            using var file = Sieve.Checkpoints.SafeTensorsFile.Open(path);
            var loaded = file.Entries.ToDictionary(e => e.Name, e => file.Read(e));
            target.load_state_dict(loaded, strict: true);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
