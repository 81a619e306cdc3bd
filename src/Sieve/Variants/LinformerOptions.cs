// Options of Linformer attention (Wang et al. 2020; METHODS.md §8): the projected length k and the sharing scheme.
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>Spec: <c>linformer(k=256, share=none|kv|layer)</c>.</summary>
public sealed record LinformerOptions : VariantOptions
{
    private readonly int _k = 256;

    /// <summary>The projected length: keys and values are compressed from n to k positions. Default 256 (the paper's best at n = 512).</summary>
    public int K
    {
        get => _k;
        init => _k = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(K), value, $"linformer needs k >= 1, got {value}");
    }

    /// <summary>Which projections are shared. Default none.</summary>
    public LinformerSharing Share { get; init; } = LinformerSharing.None;

    /// <summary>Builds a variant with its own projections; for <see cref="LinformerSharing.Layer"/> pass one layer's
    /// <see cref="LinformerAttention.Projection"/> to the others through the <see cref="LinformerAttention"/> constructor.</summary>
    public override AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null) =>
        new LinformerAttention(this, heads, headSize, hiddenSize, maxLength, device, dtype);

    public override string ToString() => $"linformer(k={K},share={SpecArguments.SnakeCase(Share)})";
}
