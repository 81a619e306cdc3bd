// The model with a pattern per layer: the `full` pattern through any kernel reproduces HF's golden outputs, every
// kernel gives the same model output under a sparse pattern, layouts are shared exactly where they may be, and the
// pattern travels with the checkpoint.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.TestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Modeling;

public sealed class SparseAttentionModelTests
{
    private static readonly BertConfig _small = new()
    {
        VocabSize = 50,
        HiddenSize = 16,
        NumHiddenLayers = 3,
        NumAttentionHeads = 2,
        IntermediateSize = 24,
        MaxPositionEmbeddings = 40,
    };

    public static TheoryData<AttentionKernelKind> Kernels => [.. Enum.GetValues<AttentionKernelKind>()];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void FullPattern_OnAnyKernel_ReproducesHuggingFacesGoldenOutputs(AttentionKernelKind kernel)
    {
        // HF computes padding query rows too, the kernels give them zeros; only real rows and the pooled [CLS] compare.
        var directory = Fixtures.PathOf("tiny-bert");
        using var model = BertCheckpoint.LoadForSequenceClassification(directory, out _, new CheckpointLoadOptions { DType = ScalarType.Float64 });
        model.eval();
        model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("full"), Kernel = kernel };
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "golden.json")));
        foreach (var c in golden.RootElement.GetProperty("cases").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            long[] Ints(string name) => [.. c.GetProperty(name).EnumerateArray().Select(e => e.GetInt64())];
            var mask = Ints("attention_mask");
            var output = model.Bert.forward(tensor(Ints("input_ids")).unsqueeze(0), tensor(Ints("token_type_ids")).unsqueeze(0), tensor(mask).unsqueeze(0));
            var logits = model.forward(tensor(Ints("input_ids")).unsqueeze(0), tensor(Ints("token_type_ids")).unsqueeze(0), tensor(mask).unsqueeze(0));
            var rows = c.GetProperty("last_hidden_state").EnumerateArray().ToList();
            for (int i = 0; i < mask.Length; i++)
                if (mask[i] == 1) AssertClose(rows[i], output.LastHiddenState[0, i], 1e-10);
            AssertClose(c.GetProperty("pooler_output"), output.PoolerOutput![0], 1e-10);
            AssertClose(c.GetProperty("logits"), logits[0], 1e-10);
            Assert.NotNull(output.Layouts);
            Assert.Equal(0.0, output.Layouts!.Sparsity, 12);
        }
    }

    [Fact]
    public void EveryKernel_GivesTheSameModelOutputAndGradients_UnderASparseScheduleWithPadding()
    {
        var spec = "layers(0: local(1)+global(1); 1: heads(0: local(2); *: random(2,seed=3)); 2: local(1)+global(1))";
        var (ids, mask) = PaddedBatch();
        // One model for every kernel: the global torch generator is shared with tests running in parallel.
        using var model = NewModel();
        model.train();
        foreach (var module in model.modules()) if (module is TorchSharp.Modules.Dropout) module.eval();   // dropout would differ between runs
        var probe = model.Bert.Encoder.Layers[1].Attention.Self.named_parameters().First().parameter;
        (Tensor Logits, Tensor Grad)? expected = null;
        foreach (var kind in Enum.GetValues<AttentionKernelKind>())
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse(spec), Kernel = kind, Seed = 11 };
            var logits = model.forward(ids, attentionMask: mask);                               // [B, L]
            logits.sum().backward();
            var grad = probe.grad!.clone();
            if (expected is not { } e) expected = (logits.detach().clone().MoveToOuterDisposeScope(), grad.MoveToOuterDisposeScope());
            else
            {
                Assert.True(logits.allclose(e.Logits, rtol: 0, atol: 1e-9), $"{kind} logits differ from {AttentionKernelKind.Reference}'s by {(logits - e.Logits).abs().max().item<double>():E2}");
                Assert.True(grad.allclose(e.Grad, rtol: 0, atol: 1e-9), $"{kind} gradients differ from {AttentionKernelKind.Reference}'s by {(grad - e.Grad).abs().max().item<double>():E2}");
            }
        }
    }

    [Theory]
    [InlineData(AttentionKernelKind.Csr)]
    [InlineData(AttentionKernelKind.Banded)]
    public void SparsePattern_EqualsTheDenseModelUnderTheLayoutsAdditiveMask(AttentionKernelKind kernel)
    {
        // An independent route to the same function: HF's dense attention with the layout as an additive mask.
        var (ids, mask) = PaddedBatch();
        using var model = NewModel();
        model.eval();
        model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(1)+global(1)"), Kernel = kernel };
        var output = model.Bert.forward(ids, attentionMask: mask);
        using var sparse = output.LastHiddenState;                                                // [B, N, Hd]
        var layout = output.Layouts![0];
        using var allowed = layout.DenseMask();                                                   // [B, 1, N, N]
        using var additive = zeros(allowed.shape, ScalarType.Float64).masked_fill(allowed.logical_not(), double.MinValue);
        var attention = Enumerable.Repeat(LayerPlan.Dense(additive), _small.NumHiddenLayers).ToList();
        using var embedded = model.Bert.Embeddings.forward(ids, zeros_like(ids));
        using var dense = model.Bert.Encoder.forward(embedded, attention);                        // [B, N, Hd]
        long[] lengths = [9, 6];
        for (int b = 0; b < 2; b++)
            Assert.True(sparse[b, ..(int)lengths[b]].allclose(dense[b, ..(int)lengths[b]], rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void Layouts_AreSharedBetweenLayersWithTheSamePattern_ButNeverForRandomPatterns()
    {
        using var model = NewModel();
        var (ids, mask) = PaddedBatch();
        BatchLayouts Run(string spec)
        {
            model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse(spec) };
            var output = model.Bert.forward(ids, attentionMask: mask);
            using var _ = output.LastHiddenState;
            return output.Layouts!;
        }

        var same = Run("layers(0-1: local(1); 2: local(1)+global(1))");
        Assert.Equal(2, same.DistinctLayouts);
        Assert.Same(same[0], same[1]);
        Assert.Equal(1, same[0].Heads);

        var random = Run("local(1)+random(1,seed=5)");
        Assert.Equal(3, random.DistinctLayouts);
        Assert.Equal(_small.NumAttentionHeads, random[0].Heads);
        Assert.False(random[0][0, 0].Keys.SequenceEqual(random[1][0, 0].Keys) && random[0][0, 0].Keys.SequenceEqual(random[0][0, 1].Keys));
        // Each map is exactly what the pattern gives for its (example, layer, head).
        var direct = CsrLayout.Build(PatternSpec.Parse("local(1)+random(1,seed=5)"), new PatternContext(6) { PaddedLength = 9, Example = 1, Layer = 2, Head = 1 });
        Assert.Equal(direct.Keys, random[2][1, 1].Keys);
        Assert.Equal(direct.RowOffsets, random[2][1, 1].RowOffsets);

        var heads = Run("heads(0: local(1); 1: global(1))");
        Assert.Equal(2, heads[0].Heads);
        Assert.Equal(1, heads.DistinctLayouts);
        Assert.Equal("local(1) | global(1)", heads.PatternAt(0));
    }

    [Fact]
    public void LayoutSparsity_IsEq9OnRealLengths()
    {
        using var model = NewModel();
        var (ids, mask) = PaddedBatch();
        model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("layers(0: local(1); *: full)") };
        var output = model.Bert.forward(ids, attentionMask: mask);
        using var _ = output.LastHiddenState;
        var layouts = output.Layouts!;
        // Local_1 keeps 3N − 2 of N² on real lengths 9 and 6; full keeps everything.
        double local = 1 - ((1 - (3.0 * 9 - 2) / 81) + (1 - (3.0 * 6 - 2) / 36)) / 2;
        Assert.Equal(1 - local, layouts.LayerSparsity(0), 12);
        Assert.Equal(0.0, layouts.LayerSparsity(1), 12);
        Assert.Equal((1 - local) / 3, layouts.Sparsity, 12);
    }

    [Fact]
    public void WordLevelInputs_ReachThePattern_AndBadInputsAreClearErrors()
    {
        using var model = NewModel();
        var (ids, mask) = PaddedBatch();
        model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("global(tokens=special)") };
        var contexts = new[]
        {
            new PatternContext(9) { SpecialTokens = [0, 8], Example = 40 },
            new PatternContext(6) { SpecialTokens = [0, 3, 5], Example = 41 },
        };
        var output = model.Bert.forward(ids, attentionMask: mask, patternInputs: contexts);
        using var _ = output.LastHiddenState;
        var expected = CsrLayout.Build(PatternSpec.Parse("global(tokens=special)"), contexts[1] with { PaddedLength = 9 });
        Assert.Equal(expected.Keys, output.Layouts![0][1, 0].Keys);

        var tooShort = new[] { contexts[0], new PatternContext(5) };
        var error = Assert.Throws<ArgumentException>(() => model.Bert.forward(ids, attentionMask: mask, patternInputs: tooShort));
        Assert.Contains("length 5 but the attention mask has 6 real tokens", error.Message, StringComparison.Ordinal);

        using var leftPadded = tensor(new long[,] { { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, { 0, 0, 0, 1, 1, 1, 1, 1, 1 } });
        error = Assert.Throws<ArgumentException>(() => model.Bert.forward(ids, attentionMask: leftPadded));
        Assert.Contains("right-padded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lexical_ComparesTheModelsOwnWordEmbeddingsPerExample_WithoutGradientThroughTheMask()
    {
        using var model = NewModel();
        model.train();
        var (ids, mask) = PaddedBatch();
        var pattern = PatternSpec.Parse("lexical(2)+local(0)");
        model.Bert.Attention = new AttentionSettings { Pattern = pattern };
        var contexts = new[] { new PatternContext(9) { Example = 0 }, new PatternContext(6) { Example = 1 } };
        var output = model.Bert.forward(ids, attentionMask: mask, patternInputs: contexts);
        using var loss = output.LastHiddenState.sum();
        loss.backward();   // the mask is a constant of the step: only the usual paths reach the embeddings
        Assert.NotNull(model.Bert.Embeddings.WordEmbeddings.weight!.grad);

        // The same layouts as binding each example to the rows of the embedding matrix for its ids.
        var weights = model.Bert.Embeddings.WordEmbeddings.weight!.detach().to_type(ScalarType.Float32);   // [V, Hd]
        long[][] rows = [[2, 5, 7, 9, 11, 13, 17, 19, 3], [2, 4, 6, 8, 10, 3]];
        for (int b = 0; b < 2; b++)
        {
            var vectors = rows[b].Select(id => weights[id].data<float>().ToArray()).ToArray();
            var expected = CsrLayout.Build(pattern, contexts[b] with { PaddedLength = 9, TokenEmbeddings = vectors });
            Assert.Equal(expected.Keys, output.Layouts![0][b, 0].Keys);
        }
        Assert.Equal(ContextInputs.TokenEmbeddings, pattern.Inputs);
        Assert.Equal(ContextInputs.DependencyHeads | ContextInputs.TokenEmbeddings, PatternSpec.Parse("layers(0: syntax(1); *: lexical(1)-local(1))").Inputs);
    }

    [Fact]
    public void ThePattern_IsSavedWithTheCheckpoint_AndReloadsToIdenticalOutputs()
    {
        var directory = Directory.CreateTempSubdirectory("sieve-pattern-").FullName;
        try
        {
            var (ids, mask) = PaddedBatch();
            using var model = NewModel();
            model.eval();
            var pattern = PatternSpec.Parse("layers(0: local(1)+random(1,seed=2); *: local(2)+global(1))");
            model.Bert.Attention = new AttentionSettings { Pattern = pattern, Kernel = AttentionKernelKind.Csr };
            using var before = model.forward(ids, attentionMask: mask);
            BertCheckpoint.Save(model, model.Config, directory, vocabPath: null, attentionPattern: pattern.ToString());
            using var reloaded = BertCheckpoint.LoadForSequenceClassification(directory, out _, new CheckpointLoadOptions { DType = ScalarType.Float64 });
            reloaded.eval();
            Assert.Equal(pattern, reloaded.Bert.Attention.Pattern);
            reloaded.Bert.Attention = reloaded.Bert.Attention with { Kernel = AttentionKernelKind.BlockSparse };
            using var after = reloaded.forward(ids, attentionMask: mask);
            Assert.True(before.allclose(after, rtol: 0, atol: 1e-12));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static BertForSequenceClassification NewModel()
    {
        manual_seed(7);
        return new BertForSequenceClassification(_small with { NumLabels = 3 }, dtype: ScalarType.Float64);
    }

    // Two examples of real lengths 9 and 6, right-padded to 9.
    private static (Tensor Ids, Tensor Mask) PaddedBatch() =>
        (tensor(new long[,] { { 2, 5, 7, 9, 11, 13, 17, 19, 3 }, { 2, 4, 6, 8, 10, 3, 0, 0, 0 } }),
         tensor(new long[,] { { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 1, 1, 0, 0, 0 } }));

    private static void AssertClose(JsonElement expected, Tensor actual, double tolerance)
    {
        var values = expected.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = actual.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(values.Length, got.Length);
        var worst = values.Zip(got, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"max |difference| {worst:E3} exceeds {tolerance:E0}");
    }
}
