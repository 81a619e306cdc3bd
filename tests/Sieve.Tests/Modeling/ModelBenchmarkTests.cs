// `sieve bench model` (issue 14): the whole encoder is timed on every kernel at a length beyond the config's positions,
// with the pattern's exact density, and the auto kernel's per-layer choices are reported.
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;

namespace Sieve.Tests.Modeling;

public sealed class ModelBenchmarkTests
{
    private static readonly BertConfig _small = new()
    {
        VocabSize = 50,
        HiddenSize = 8,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 12,
        MaxPositionEmbeddings = 16,
    };

    [Fact]
    public void Run_TimesEveryKernel_BeyondTheConfigsPositions_WithThePatternsDensity()
    {
        var options = new ModelBenchmarkOptions { Config = _small, Length = 40, Repeats = 1, Warmup = 0 };
        var kinds = Enum.GetValues<AttentionKernelKind>();
        var results = ModelBenchmark.Run(PatternSpec.Parse("local(2)+global(1)"), options, kinds);
        Assert.Equal(kinds, results.Select(r => r.Kernel));
        Assert.All(results, r =>
        {
            Assert.Equal((40, 1, "local(2)+global(1)"), (r.Length, r.Batch, r.Pattern));
            // Local₂ + Global₁ keeps 7N − 12 entries.
            Assert.Equal((7.0 * 40 - 12) / (40 * 40), r.Density, 12);
            Assert.True(r.ForwardMs > 0 && r.TrainStepMs > 0);
            Assert.Null(r.PeakBytes);
            Assert.Equal(r.Kernel == AttentionKernelKind.Auto, r.ForwardChoices is not null && r.TrainStepChoices is not null);
        });
        var auto = results.Single(r => r.Kernel == AttentionKernelKind.Auto);
        Assert.Matches(@"^(Sdpa|BlockSparse|Csr)(×2)?(\+(Sdpa|BlockSparse|Csr)×1)?$", auto.ForwardChoices!);
    }

    [Fact]
    public void ModelConfig_RaisesThePositionsToTheLength_AndDropsTheSavedAttention()
    {
        var saved = _small with { Sieve = new BertSieveSettings { AttentionPattern = "local(1)", Sublayers = "ssffsf" } };
        var config = new ModelBenchmarkOptions { Config = saved, Length = 100 }.ModelConfig;
        Assert.Equal(100, config.MaxPositionEmbeddings);
        Assert.Null(config.Sieve!.AttentionPattern);
        Assert.Equal("ssffsf", config.Sieve.Sublayers);
        Assert.Equal(512, new ModelBenchmarkOptions { Length = 64 }.ModelConfig.MaxPositionEmbeddings);
    }

    [Fact]
    public void Presets_HaveTheBertBaseAndMiniLMShapes()
    {
        Assert.Equal((12, 768, 12, 3072), Shape(BertShapes.Find("bert-base")!));
        Assert.Equal((6, 384, 12, 1536), Shape(BertShapes.Find("MiniLM")!));
        Assert.Null(BertShapes.Find("gpt2"));

        static (int, int, int, int) Shape(BertConfig c) => (c.NumHiddenLayers, c.HiddenSize, c.NumAttentionHeads, c.IntermediateSize);
    }
}
