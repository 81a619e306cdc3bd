// Sentence embeddings from the last hidden state, as sentence-transformers computes them: mean pooling over the real
// tokens (all-MiniLM-L6-v2) or the [CLS] vector (snowflake-arctic-embed), each followed by L2 normalisation.
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>The pooling of sentence-transformers' Pooling + Normalize modules, over <see cref="BertModelOutput.LastHiddenState"/>.</summary>
public static class SentenceEmbedding
{
    // Keeps an all-padding row at zero instead of 0/0 (sentence-transformers clamps the same way); held for the process.
    private static readonly Scalar _epsilon = 1e-12.ToScalar();

    /// <summary>
    /// The mean of <paramref name="lastHidden"/> [B, N, H] over the positions where <paramref name="attentionMask"/>
    /// [B, N] is 1 (padding does not count), L2-normalised: [B, H].
    /// </summary>
    public static Tensor MeanPooled(Tensor lastHidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Normalized(MaskedMean(lastHidden, attentionMask)));   // [B, H]
    }

    /// <summary>
    /// The mean of <paramref name="lastHidden"/> [B, N, H] over the positions where <paramref name="attentionMask"/>
    /// [B, N] is 1, not normalised: [B, H] (what a mean-pooling classifier head reads, see <see cref="ClassifierPooling.Mean"/>).
    /// </summary>
    public static Tensor MaskedMean(Tensor lastHidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(lastHidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (lastHidden.dim() != 3 || attentionMask.dim() != 2 || lastHidden.shape[0] != attentionMask.shape[0] || lastHidden.shape[1] != attentionMask.shape[1])
            throw new ArgumentException($"mean pooling needs hidden states [B, N, H] and a mask [B, N]; got [{string.Join(", ", lastHidden.shape)}] and [{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
        using var scope = NewDisposeScope();
        var mask = attentionMask.to_type(lastHidden.dtype).unsqueeze(-1);   // [B, N, 1]
        var summed = lastHidden.mul(mask).sum(1);                           // [B, H]
        var counts = mask.sum(1).clamp_min(_epsilon);                       // [B, 1]
        return scope.MoveToOuter(summed.div(counts));                       // [B, H]
    }

    /// <summary>The first ([CLS]) position of <paramref name="lastHidden"/> [B, N, H], L2-normalised: [B, H].</summary>
    public static Tensor Cls(Tensor lastHidden)
    {
        ArgumentNullException.ThrowIfNull(lastHidden);
        if (lastHidden.dim() != 3) throw new ArgumentException($"CLS pooling needs hidden states [B, N, H]; got [{string.Join(", ", lastHidden.shape)}].", nameof(lastHidden));
        using var scope = NewDisposeScope();
        var first = lastHidden.select(1, 0);                                // [B, H]
        return scope.MoveToOuter(Normalized(first));                        // [B, H]
    }

    // x / max(‖x‖₂, ε) along the last dimension, as torch.nn.functional.normalize.
    private static Tensor Normalized(Tensor vectors) =>
        vectors.div(vectors.norm(1, keepdim: true).clamp_min(_epsilon));   // [B, H]
}
