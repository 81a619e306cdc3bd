// The seam for attentions that are not "softmax(QKᵀ/√D) restricted to a pattern" (METHODS.md §8–12): BertSelfAttention
// hands a variant its projected q, k, v, the layer input and the key padding, and gets the context back.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// An attention computed by its own module. Parameters are registered under short snake_case names; inside BERT they
/// live at <c>...attention.self.variant.&lt;name&gt;</c>. Constructors take (options, heads, headSize, hiddenSize,
/// maxLength, device, dtype).
/// </summary>
public abstract class AttentionVariant : nn.Module
{
    protected AttentionVariant(string name) : base(name)
    {
    }

    /// <summary>The options this variant was built from; <c>ToString()</c> is its spec.</summary>
    public abstract VariantOptions Options { get; }

    /// <summary>
    /// The context [B, H, N, D] of <paramref name="q"/>, <paramref name="k"/>, <paramref name="v"/> [B, H, N, D].
    /// <paramref name="hidden"/> is the layer input [B, N, Hd]; <paramref name="keyPadding"/> is bool [B, N], true for
    /// a real token. Padding keys get zero weight; padding query rows are finite but otherwise unspecified.
    /// </summary>
    public abstract Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding);

    /// <summary>What the variant learned or measured (spans, α, share of exact zeros ...), for the run's report.</summary>
    public abstract VariantReport Report();

    /// <summary>Throws when the inputs do not have the shapes of <see cref="Attend"/>.</summary>
    protected static void CheckInputs(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(keyPadding);
        if (q.dim() != 4 || k.dim() != 4 || v.dim() != 4)
            throw new ArgumentException($"q, k and v must be [B, H, N, D], got [{Shape(q)}], [{Shape(k)}], [{Shape(v)}]", nameof(q));
        if (q.shape[0] != k.shape[0] || q.shape[2] != k.shape[2] || k.shape[2] != v.shape[2] || q.shape[1] != k.shape[1])
            throw new ArgumentException($"q, k and v disagree on B, H or N: [{Shape(q)}], [{Shape(k)}], [{Shape(v)}]", nameof(k));
        if (keyPadding.dtype != ScalarType.Bool || keyPadding.dim() != 2 || keyPadding.shape[0] != q.shape[0] || keyPadding.shape[1] != q.shape[2])
            throw new ArgumentException($"keyPadding must be bool [B, N] = [{q.shape[0]}, {q.shape[2]}], got {keyPadding.dtype} [{Shape(keyPadding)}]", nameof(keyPadding));
        if (hidden.dim() != 3 || hidden.shape[0] != q.shape[0] || hidden.shape[1] != q.shape[2])
            throw new ArgumentException($"hidden must be [B, N, Hd] with B = {q.shape[0]}, N = {q.shape[2]}, got [{Shape(hidden)}]", nameof(hidden));
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);

    // TorchSharp's register_module would also register private fields under their C# names; the names registered in
    // each constructor are the only ones a variant has.
    protected override void RegisterComponents()
    {
    }
}
