// The survey's variants inside BERT (issue 7): BertModel.ApplyAttention builds them into the layers (Linformer's
// layer-wise sharing included), checkpoints record and rebuild them bit-identically, and adaptive span trains with its
// penalty and clamped spans.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Modeling;
using Sieve.Specs;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

public sealed class VariantModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-variant-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BertConfig Config => Learnable.LearnableTestSupport.TinyBertConfig with { NumHiddenLayers = 3 };

    private static (Tensor Ids, Tensor Mask) Batch()
    {
        var generator = new Generator(3);
        var ids = randint(1, 40, [2, 12], generator: generator);               // [B, N]
        var mask = ones(2, 12, dtype: ScalarType.Int64);                        // [B, N]
        mask[1, TensorIndex.Slice(9)] = tensor(0L);
        return (ids, mask);
    }

    [Theory]
    [InlineData("linformer(k=8)")]
    [InlineData("layers(0-1: linformer(k=8, share=layer); *: local(1)+global(1))")]
    [InlineData("layers(0: synthesizer(kind=factorized_random, mix=vanilla); 1: adaptive_span(max=16, ramp=4); 2: entmax(alpha=learned))")]
    [InlineData("layers(0: lsh(buckets=4, rounds=2, chunk=4); 1: sparse_transformer(kind=fixed, l=4, c=1); *: sparsemax)")]
    public void SaveThenLoad_RebuildsTheVariants_WithBitIdenticalOutputs(string spec)
    {
        manual_seed(1);
        using var model = new BertForSequenceClassification(Config);
        model.Bert.ApplyAttention(AttentionSpec.Parse(spec));
        var (ids, mask) = Batch();
        // Moves the variants' parameters (adaptive spans start at 0, some projections at fixed values) so that only a
        // real load reproduces them.
        using (no_grad())
        {
            foreach (var (name, value) in model.state_dict().Where(p => p.Key.Contains(".variant.", StringComparison.Ordinal)))
                value.add_(rand_like(value) * 0.2);
        }
        model.eval();
        using var expected = model.forward(ids, attentionMask: mask);           // [B, L]

        string saved = Path.Combine(_dir, "model");
        BertCheckpoint.Save(model, model.Config, saved, vocabPath: null);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(saved, "config.json")));
        Assert.Equal(AttentionSpec.Parse(spec).ToString(), json.RootElement.GetProperty("sieve").GetProperty("attention").GetString());

        using var reloaded = BertCheckpoint.LoadForSequenceClassification(saved, out var report);
        Assert.Empty(report.NewlyInitialized);
        Assert.Equal(AttentionSpec.Parse(spec), reloaded.Bert.AttentionSpec);
        using var actual = reloaded.forward(ids, attentionMask: mask);          // [B, L]
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        // The variants did something: the same weights under dense attention give other logits.
        using var dense = new BertForSequenceClassification(Config);
        dense.load_state_dict(reloaded.state_dict().Where(p => !p.Key.Contains(".variant.", StringComparison.Ordinal)).ToDictionary());
        dense.eval();
        Assert.NotEqual(expected.data<float>().ToArray(), dense.forward(ids, attentionMask: mask).data<float>().ToArray());
    }

    [Fact]
    public void LayerwiseLinformer_SharesOneProjection_AndKeyValueSharing_OneMatrixPerLayer()
    {
        using var model = new BertModel(Config);
        model.ApplyAttention(AttentionSpec.Parse("layers(0-1: linformer(k=4, share=layer); 2: linformer(k=4, share=kv))"));
        var variants = model.Encoder.Layers.Select(l => Assert.IsType<LinformerAttention>(l.Attention.Self.Variant)).ToArray();
        Assert.Same(variants[0].Projection, variants[1].Projection);
        Assert.NotSame(variants[0].Projection, variants[2].Projection);
        Assert.True(variants[2].Projection.SharesKeyValue);
        // The state dict holds the shared matrix under both layers (so that a load sets both); the optimiser sees it once.
        Assert.Equal(3, model.state_dict().Keys.Count(k => k.Contains(".variant.", StringComparison.Ordinal)));
        Assert.Equal(2, model.named_parameters().Count(p => p.name.Contains(".variant.", StringComparison.Ordinal)));
        Assert.Equal([32L, 4], new long[] { variants[0].Projection.MaxLength, variants[0].Projection.K });
    }

    [Fact]
    public void ApplyAttention_KeepsAnEqualVariant_AndRefusesToReplaceOne()
    {
        using var model = new BertModel(Config);
        model.ApplyAttention(AttentionSpec.Parse("layers(0: entmax; *: full)"));
        var first = model.Encoder.Layers[0].Attention.Self.Variant;
        model.ApplyAttention(AttentionSpec.Parse("layers(0: entmax(alpha=1.5); *: local(1))"));
        Assert.Same(first, model.Encoder.Layers[0].Attention.Self.Variant);
        Assert.Equal("layers(0:" + new EntmaxOptions() + ";*:local(1))", model.AttentionSpec!.ToString());
        var error = Assert.Throws<InvalidOperationException>(() => model.ApplyAttention(AttentionSpec.Parse("sparsemax")));
        Assert.Contains("layer 0 already attends with", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptiveSpan_AddsItsPenaltyToTheTrainingLoss_AndIsClampedBeforeUse()
    {
        manual_seed(2);
        using var model = new BertForSequenceClassification(Config);
        model.Bert.ApplyAttention(AttentionSpec.Parse("layers(0-1: adaptive_span(max=1000, ramp=4); *: full)"));
        var spans = model.Bert.Encoder.Layers.Take(2).Select(l => Assert.IsType<AdaptiveSpanAttention>(l.Attention.Self.Variant)).ToArray();
        using (no_grad())
        {
            spans[0].state_dict()["span_ratio"].copy_(tensor(new[] { 0.25f, 0.75f }));   // mean 0.5
            spans[1].state_dict()["span_ratio"].copy_(tensor(new[] { 1.5f, -0.5f }));    // clamped to 1, 0 before use
        }
        var (ids, mask) = Batch();
        var labels = tensor(new long[] { 0, 2 });
        model.train();
        var logits = model.forward(ids, attentionMask: mask);
        Assert.Equal([1f, 0f], spans[1].state_dict()["span_ratio"].data<float>().ToArray());
        double task = nn.functional.cross_entropy(logits, labels).item<float>();
        double withPenalty = model.Loss(logits, labels).item<float>();
        // Σ_layers weight · S · mean(u) = 5e-7 · 1000 · (0.5 + 0.5), up to float32 rounding of a loss near 1.
        double expected = BertModel.SpanPenaltyWeight * 1000 * (0.5 + 0.5);
        Assert.InRange(withPenalty - task, expected - 3e-7, expected + 3e-7);
        model.eval();
        Assert.Equal(task, model.Loss(logits, labels).item<float>(), 6);
    }

    [Fact]
    public void AdaptiveSpan_AddsItsPenaltyToTheMaskedLmTrainingLoss()
    {
        manual_seed(3);
        using var model = new BertForMaskedLM(Config);
        model.Bert.ApplyAttention(AttentionSpec.Parse("layers(1: adaptive_span(max=1000, ramp=4); *: full)"));
        var span = Assert.IsType<AdaptiveSpanAttention>(model.Bert.Encoder.Layers[1].Attention.Self.Variant);
        using (no_grad()) span.state_dict()["span_ratio"].copy_(tensor(new[] { 0.5f, 1.0f }));   // mean 0.75
        var (ids, mask) = Batch();
        var labels = full(2, 12, BertForMaskedLM.IgnoreIndex);                   // [B, N]: predict positions 2 and 5 only
        labels[TensorIndex.Colon, TensorIndex.Tensor(tensor(new long[] { 2, 5 }))] = ids[TensorIndex.Colon, TensorIndex.Tensor(tensor(new long[] { 2, 5 }))];
        model.train();
        var logits = model.forward(ids, attentionMask: mask);                    // [B, N, V]
        double task = nn.functional.cross_entropy(logits.view(-1, Config.VocabSize), labels.view(-1), ignore_index: BertForMaskedLM.IgnoreIndex).item<float>();
        double withPenalty = model.Loss(logits, labels).item<float>();
        // weight · S · mean(u) = 5e-7 · 1000 · 0.75, up to float32 rounding of a loss near ln 40 ≈ 3.7.
        double expected = BertModel.SpanPenaltyWeight * 1000 * 0.75;
        Assert.InRange(withPenalty - task, expected - 6e-7, expected + 6e-7);
        model.eval();
        Assert.Equal(task, model.Loss(logits, labels).item<float>(), 6);
    }

    [Fact]
    public void Sublayers_ReorderTheSameParameters_AndSfsfIsTheOrdinaryEncoder()
    {
        manual_seed(4);
        using var plain = new BertModel(Config);
        using var interleaved = new BertModel(Config with { Sieve = new BertSieveSettings { Sublayers = "sfsfsf" } });
        using var sandwich = new BertModel(Config with { Sieve = new BertSieveSettings { Sublayers = "sssfff" } });
        interleaved.load_state_dict(plain.state_dict());
        sandwich.load_state_dict(plain.state_dict());   // same names and shapes: HF's
        foreach (var m in new[] { plain, interleaved, sandwich }) m.eval();
        var (ids, mask) = Batch();
        var a = plain.forward(ids, attentionMask: mask).LastHiddenState;
        Assert.Equal(a.data<float>().ToArray(), interleaved.forward(ids, attentionMask: mask).LastHiddenState.data<float>().ToArray());
        // s s s f f f by hand: the three attention blocks, then the three feed-forward blocks.
        var x = sandwich.Embeddings.forward(ids, zeros_like(ids));
        var extended = BertFunctions.ExtendedAttentionMask(mask, x.dtype);
        var attention = LayerPlan.Dense(extended);
        foreach (var layer in plain.Encoder.Layers) x = layer.Attend(x, attention);
        foreach (var layer in plain.Encoder.Layers) x = layer.FeedForward(x);
        Assert.Equal(x.to_type(ScalarType.Float64).data<double>().ToArray(), sandwich.forward(ids, attentionMask: mask).LastHiddenState.to_type(ScalarType.Float64).data<double>().ToArray(), new Tolerance(1e-6));
        Assert.Throws<ArgumentException>(() => new BertModel(Config with { Sieve = new BertSieveSettings { Sublayers = "ssff" } }));
    }
}
