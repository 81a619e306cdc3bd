// Small tensor helpers shared by the variants: the value that stands for "not allowed" in a score, masked softmax
// with zero weight on disallowed keys (a row with none gives zeros, never NaN), and the pair masks of a padded batch.
using static TorchSharp.torch;

namespace Sieve.Variants;

internal static class VariantMath
{
    /// <summary>
    /// The score of a disallowed key: finite so that a row with no allowed key stays finite, and far enough below any
    /// real score that its exp underflows to exactly 0 (float32, bfloat16 and float64 hold it).
    /// </summary>
    public const double Disallowed = -1e30;

    /// <summary>Softmax over the last dimension where <paramref name="allowed"/> is true, exact zeros elsewhere.</summary>
    public static Tensor MaskedSoftmax(Tensor scores, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        var filled = scores.MaskedFill(allowed.logical_not(), Disallowed);         // [..., N]
        var probabilities = filled.softmax(-1) * allowed.to_type(scores.dtype);      // [..., N] (a row with no key: 0)
        return scope.MoveToOuter(probabilities);
    }

    /// <summary>The real keys of each example as a mask broadcastable to [B, H, N, N]: [B, 1, 1, N].</summary>
    public static Tensor KeyMask(Tensor keyPadding) => keyPadding.unsqueeze(1).unsqueeze(1);

    /// <summary>Pairs of a real query and a real key: [B, 1, N, N].</summary>
    public static Tensor RealPairs(Tensor keyPadding) =>
        keyPadding.unsqueeze(1).unsqueeze(-1).logical_and(keyPadding.unsqueeze(1).unsqueeze(1));

    /// <summary>q·kᵀ/√D: [B, H, N, N].</summary>
    public static Tensor Scores(Tensor q, Tensor k)
    {
        return q.matmul(k.transpose(-1, -2)).DividedBy(Math.Sqrt(q.shape[^1]));
    }
}
