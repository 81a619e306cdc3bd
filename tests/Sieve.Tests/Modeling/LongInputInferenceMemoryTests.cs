// Issue 14: inference at long N holds one layer's hidden states and one piece of the feed-forward sublayer, not every
// layer's output and the whole [B, N, I] activation; and the pieces give the rows the whole sublayer gives.
using Sieve.Benchmarking;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Tests.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.Modeling;

// Alone: a test running beside it would raise the process's resident high-water mark.
[Collection(GlobalRandomCollection.Name)]
public sealed class LongInputInferenceMemoryTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("sfsfffss")]   // a sublayer order runs the feed-forward sublayers on their own
    public void Inference_InFeedForwardPieces_GivesTheWholeSublayersRows(string? sublayers)
    {
        manual_seed(5);
        // 1,100 tokens: two whole pieces of 512 and a partial one; two examples, one of them padded.
        var config = new BertConfig
        {
            VocabSize = 50,
            HiddenSize = 8,
            NumHiddenLayers = 4,
            NumAttentionHeads = 2,
            IntermediateSize = 16,
            MaxPositionEmbeddings = 1100,
            Sieve = sublayers is null ? null : new BertSieveSettings { Sublayers = sublayers },
        };
        using var model = new BertModel(config) { Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(8)+global(1)") } };
        model.eval();
        using var ids = randint(1, 50, [2, 1100], dtype: int64);
        using var mask = ones_like(ids);
        mask[1, TensorIndex.Slice(900)] = tensor(0L);
        Tensor whole, pieces;
        using (enable_grad()) whole = model.forward(ids, attentionMask: mask).LastHiddenState.detach();   // training's path: one piece
        using (no_grad()) pieces = model.forward(ids, attentionMask: mask).LastHiddenState;               // inference: pieces of 512
        Assert.True(1100 > BertLayer.FeedForwardChunk * 2);
        Assert.True(allclose(whole, pieces, rtol: 1e-5, atol: 1e-6), $"largest difference {(whole - pieces).abs().max().item<float>()}");
        whole.Dispose();
        pieces.Dispose();
    }

    [Fact]
    public void Inference_AtLongN_NeverHoldsTheWholeFeedForwardActivation()
    {
        // Intermediate size 4,096 at N = 4,096: one [1, N, I] fp32 activation is 64 MiB, far above everything else a
        // forward holds (hidden size 4: [1, N, 4] is 64 KiB). The whole sublayer holds two at once (the dense output and
        // its GELU: 128 MiB); pieces of 512 tokens hold 2 × 8 MiB. The bound sits between, with room for the allocator.
        if (!PeakMemory.TryReset()) return;   // no /proc or no reset: the process's earlier peak would hide the reading
        var options = new ModelBenchmarkOptions
        {
            Config = new BertConfig { VocabSize = 64, HiddenSize = 4, NumHiddenLayers = 2, NumAttentionHeads = 1, IntermediateSize = 4096 },
            Length = 4096,
        };
        var peak = ModelBenchmark.MeasurePeakExtra(PatternSpec.Parse("local(4)+global(1)"), options, AttentionKernelKind.Csr);
        long activation = 4096L * 4096 * sizeof(float);
        Assert.True(peak.Forward < activation, $"the forward peaks at {peak.Forward} bytes above the setup; one [1, N, I] activation is {activation}.");
        Assert.True(peak.RepeatForward < activation, $"the repeated forward peaks at {peak.RepeatForward} bytes; one [1, N, I] activation is {activation}.");
    }
}
