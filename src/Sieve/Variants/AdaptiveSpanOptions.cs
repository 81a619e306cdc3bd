// Options of adaptive attention span (Sukhbaatar et al. 2019; METHODS.md §10): the maximum span S and the ramp R.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>Spec: <c>adaptive_span(max=1024, ramp=32)</c>.</summary>
public sealed record AdaptiveSpanOptions : VariantOptions
{
    private readonly int _maxSpan = 1024;
    private readonly int _ramp = 32;

    /// <summary>S: the largest span a head can learn (z = S·u, u ∈ [0, 1]). Default 1024.</summary>
    public int MaxSpan
    {
        get => _maxSpan;
        init => _maxSpan = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSpan), value, $"adaptive_span needs max >= 1, got {value}");
    }

    /// <summary>R: the width of the soft ramp from weight 1 to 0 beyond the span. Default 32, the paper's.</summary>
    public int Ramp
    {
        get => _ramp;
        init => _ramp = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Ramp), value, $"adaptive_span needs ramp >= 1, got {value}");
    }

    public override AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null) =>
        new AdaptiveSpanAttention(this, heads, headSize, hiddenSize, maxLength, device, dtype);

    public override string ToString() => $"adaptive_span(max={MaxSpan},ramp={Ramp})";
}
