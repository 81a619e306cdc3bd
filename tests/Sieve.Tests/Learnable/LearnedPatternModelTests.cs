// Learnable patterns inside BERT (issue 6): gradients reach the logits through the whole model, evaluation runs the
// hardened pattern on the sparse kernels exactly as the same fixed pattern would, ρ of the training gates is reported
// and differentiable, and a checkpoint reloads to the identical hard pattern.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Specs;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class LearnedPatternModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-learned-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BertConfig Config => LearnableTestSupport.TinyBertConfig;

    private static (Tensor Ids, Tensor Mask) Batch()
    {
        var generator = new Generator(5);
        var ids = randint(1, 40, [2, 12], generator: generator);               // [B, N]
        var mask = ones(2, 12, dtype: ScalarType.Int64);                        // [B, N]
        mask[1, TensorIndex.Slice(8)] = tensor(0L);
        return (ids, mask);
    }

    private static void Scramble(LearnablePattern learned, double spread = 4) => LearnableTestSupport.Scramble(learned, spread);

    [Fact]
    public void Gradients_ReachTheLogits_ThroughTheModel_AsFiniteDifferencesSay()
    {
        manual_seed(2);
        using var model = new BertModel(Config, dtype: ScalarType.Float64);
        // Soft gates without noise: the forward is a smooth function of the logits, so finite differences apply.
        var learned = model.UseLearnablePattern(LearnableSpec.Parse("learned_diagonal(max_offset=4, level=task+layer)"),
            new GumbelOptions { Noise = false, Mode = GateMode.Soft, InitialLogit = 0 });
        model.Attention = new AttentionSettings { Kernel = AttentionKernelKind.Reference, GateBiasScale = 3 };
        Scramble(learned, spread: 1);
        model.train();
        var (ids, mask) = Batch();
        var weights = randn(2, 12, 16, dtype: ScalarType.Float64, generator: new Generator(9));   // [B, N, Hd]
        Tensor Loss() => model.forward(ids, attentionMask: mask).LastHiddenState.mul(weights).sum();
        var logits = learned.parameters().Single();
        LearnableTestSupport.AssertFiniteDifferences(Loss, logits, Enumerable.Range(0, (int)logits.numel()).Select(i => (long)i));
    }

    [Theory]
    [InlineData("learned_diagonal(max_offset=5, level=task+layer)+global(1)", AttentionKernelKind.Csr)]
    [InlineData("learned_diagonal(max_offset=5, level=task)", AttentionKernelKind.BlockSparse)]
    [InlineData("learned_degree(max_degree=4, per=head)", AttentionKernelKind.Csr)]
    [InlineData("learned_degree(max_degree=4, per=position, max_length=16)", AttentionKernelKind.Sdpa)]
    public void Evaluation_RunsTheHardenedPattern_OnTheSparseKernel_AsThatFixedPatternWould(string spec, AttentionKernelKind kernel)
    {
        manual_seed(3);
        using var model = new BertModel(Config);
        var learned = model.UseLearnablePattern(LearnableSpec.Parse(spec));
        Scramble(learned);
        model.Attention = new AttentionSettings { Kernel = kernel };
        model.eval();
        var (ids, mask) = Batch();
        var hard = learned.Harden();
        var learnedOutput = model.forward(ids, attentionMask: mask);
        using var viaLearned = learnedOutput.LastHiddenState;                                       // [B, N, Hd]
        double learnedRho = learnedOutput.Layouts!.Sparsity;
        Assert.Null(learnedOutput.Attention.LearnedSparsity);

        using var twin = new BertModel(Config);
        twin.load_state_dict(model.state_dict().Where(p => !p.Key.StartsWith(BertModel.LearnedPatternName, StringComparison.Ordinal)).ToDictionary());
        twin.Attention = new AttentionSettings { Pattern = hard, Kernel = AttentionKernelKind.Reference };
        twin.eval();
        var twinOutput = twin.forward(ids, attentionMask: mask);
        using var viaReference = twinOutput.LastHiddenState;                                        // [B, N, Hd]
        double difference = viaLearned.sub(viaReference).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"the {kernel} kernel on the learned model and Reference on {hard} differ by {difference}");
        Assert.Equal(twinOutput.Layouts!.Sparsity, learnedRho, 12);
        Assert.True(learnedRho > 0, "the scrambled pattern should drop some connections");
    }

    [Fact]
    public void Training_ReportsADifferentiableRho_OfTheGates_OnRealLengths()
    {
        manual_seed(4);
        using var model = new BertModel(Config);
        var learned = model.UseLearnablePattern(LearnableSpec.Parse("learned_diagonal(max_offset=3, level=task)"),
            new GumbelOptions { Noise = false, InitialLogit = -5 });
        model.train();
        var (ids, mask) = Batch();
        using var scope = NewDisposeScope();
        var rho = model.forward(ids, attentionMask: mask).Attention.LearnedSparsity!;
        Assert.True(rho.requires_grad);
        // Every logit < 0 without noise: each real row keeps only its diagonal (the empty-row rule), so ρ = 1 − 1/N_i.
        double expected = ((1 - (1.0 / 12)) + (1 - (1.0 / 8))) / 2;
        Assert.Equal(expected, rho.item<float>(), 5);
        rho.backward();
        Assert.NotNull(learned.parameters().Single().grad);
    }

    [Fact]
    public void AxisAttention_AdaptsPerInput_AndReportsTheShareOfRowsAndColumns()
    {
        manual_seed(5);
        using var model = new BertModel(Config);
        var learned = model.UseLearnablePattern(LearnableSpec.Parse("aaa(local=1)"));
        Scramble(learned, spread: 2);
        model.Attention = new AttentionSettings { Kernel = AttentionKernelKind.Csr };
        model.eval();
        var (ids, mask) = Batch();
        var output = model.forward(ids, attentionMask: mask);
        using var hidden = output.LastHiddenState;                                                  // [B, N, Hd]
        Assert.Equal(2, output.Attention.AxisSelections!.Count);
        Assert.All(output.Attention.AxisSelections, s => Assert.InRange(s.RowShare, 0, 1));
        Assert.Equal(2, output.Layouts!.Layers);
        Assert.Contains("axis(", output.Layouts.PatternAt(0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("learned_diagonal(max_offset=6, level=task+layer)+global(1)")]
    [InlineData("learned_degree(max_degree=3, per=head)")]
    [InlineData("aaa(local=2)")]
    public void SaveThenLoad_GivesTheIdenticalHardPattern_AndBitIdenticalOutputs(string spec)
    {
        manual_seed(6);
        using var model = new BertForSequenceClassification(Config);
        Scramble(model.Bert.UseLearnablePattern(LearnableSpec.Parse(spec)));
        model.eval();
        var (ids, mask) = Batch();
        var expectedOutput = model.Classify(ids, attentionMask: mask);
        using var expected = expectedOutput.Logits;                                                 // [B, L]
        var expectedLayouts = expectedOutput.Attention.Layouts!;

        string saved = Path.Combine(_dir, "model");
        BertCheckpoint.Save(model, model.Config, saved, vocabPath: null);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(saved, "config.json")));
        Assert.Equal(LearnableSpec.Parse(spec).ToString(), json.RootElement.GetProperty("sieve").GetProperty("learnable_pattern").GetString());

        using var reloaded = BertCheckpoint.LoadForSequenceClassification(saved, out var report);
        Assert.Empty(report.NewlyInitialized);
        Assert.Equal(LearnableSpec.Parse(spec), reloaded.Bert.LearnedSpec);
        if (!reloaded.Bert.Learned!.IsInputDependent) Assert.Equal(model.Bert.Learned!.Harden().ToString(), reloaded.Bert.Learned.Harden().ToString());
        var actualOutput = reloaded.Classify(ids, attentionMask: mask);
        using var actual = actualOutput.Logits;                                                     // [B, L]
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        for (int l = 0; l < Config.NumHiddenLayers; l++) Assert.Equal(expectedLayouts.LayerSparsity(l), actualOutput.Attention.Layouts!.LayerSparsity(l));
    }

    [Fact]
    public void ALearnablePattern_DoesNotMixWithVariantsOrASecondPattern()
    {
        using var model = new BertModel(Config);
        model.UseLearnablePattern(LearnableSpec.Parse("aaa(local=2)"));
        var twice = Assert.Throws<InvalidOperationException>(() => model.UseLearnablePattern(LearnableSpec.Parse("learned_degree()")));
        Assert.Contains("already has the learnable pattern", twice.Message, StringComparison.Ordinal);
        var variant = Assert.Throws<InvalidOperationException>(() => model.ApplyAttention(AttentionSpec.Parse("linformer(k=4)")));
        Assert.Contains("learns its pattern", variant.Message, StringComparison.Ordinal);

        using var withVariant = new BertModel(Config);
        withVariant.ApplyAttention(AttentionSpec.Parse("local(1)"));
        var fixedFirst = Assert.Throws<InvalidOperationException>(() => withVariant.UseLearnablePattern(LearnableSpec.Parse("aaa(local=2)")));
        Assert.Contains("replaces the whole attention pattern", fixedFirst.Message, StringComparison.Ordinal);
    }
}
