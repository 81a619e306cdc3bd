// One Transformer encoder layer, attention then feed-forward, each post-LayerNorm: HF BertLayer.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>HF <c>BertLayer</c>; state-dict keys attention, intermediate, output.</summary>
public sealed class BertLayer : nn.Module
{
    private readonly BertAttention _attention;
    private readonly BertIntermediate _intermediate;
    private readonly BertOutput _output;

    public BertLayer(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertLayer))
    {
        _attention = new BertAttention(config, device, dtype);
        _intermediate = new BertIntermediate(config, device, dtype);
        _output = new BertOutput(config, device, dtype);
        register_module("attention", _attention);
        register_module("intermediate", _intermediate);
        register_module("output", _output);
    }

    /// <summary>The attention block (its <see cref="BertAttention.Self"/> holds the kernel seam).</summary>
    public BertAttention Attention => _attention;

    /// <summary>
    /// Tokens per piece of the feed-forward sublayer in inference. Its intermediate activation and GELU, [B, N, I] each,
    /// are the largest tensors of a layer at long N (2 × 48 MiB for BERT-base at N = 4,096); the sublayer works on each
    /// token alone, so pieces give the same result and hold 2 × [B, FeedForwardChunk, I] at a time (HF's
    /// <c>chunk_size_feed_forward</c>). Training keeps one piece: autograd would keep every piece's activations anyway.
    /// </summary>
    public const int FeedForwardChunk = 512;

    /// <summary>Encodes <paramref name="hidden"/> [B, N, Hd] attending as <paramref name="attention"/> says; returns [B, N, Hd].</summary>
    public Tensor forward(Tensor hidden, LayerPlan attention)
    {
        using var scope = NewDisposeScope();
        var attended = _attention.forward(hidden, attention);                     // [B, N, Hd]
        return scope.MoveToOuter(FeedForward(attended));                          // [B, N, Hd]
    }

    /// <summary>The attention sublayer alone (an 's' of a sublayer order): [B, N, Hd] → [B, N, Hd].</summary>
    public Tensor Attend(Tensor hidden, LayerPlan attention) => _attention.forward(hidden, attention);

    /// <summary>The feed-forward sublayer alone (an 'f' of a sublayer order): [B, N, Hd] → [B, N, Hd].</summary>
    public Tensor FeedForward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        long n = hidden.shape[1];
        if (is_grad_enabled() || n <= FeedForwardChunk)
            return scope.MoveToOuter(FeedForwardPiece(hidden));                   // [B, N, Hd]
        var output = empty_like(hidden);                                          // [B, N, Hd]
        for (long start = 0; start < n; start += FeedForwardChunk)
        {
            using var pieceScope = NewDisposeScope();
            long length = Math.Min(FeedForwardChunk, n - start);
            output.narrow(1, start, length).copy_(FeedForwardPiece(hidden.narrow(1, start, length)));
        }
        return scope.MoveToOuter(output);
    }

    // LayerNorm(dense(act(dense(x))) + x) on [B, n, Hd]: per token, so any split along the tokens gives the same rows.
    private Tensor FeedForwardPiece(Tensor hidden) => _output.forward(_intermediate.forward(hidden), hidden);

    // TorchSharp's register_module would also register the private fields under their C# names; the HF names
    // registered in the constructor are the only ones this module has.
    protected override void RegisterComponents()
    {
    }
}
