// Adaptive attention span (Sukhbaatar et al. 2019, "Adaptive Attention Span in Transformers"; METHODS.md §10;
// facebookresearch/adaptive-span): a soft ramp mask m_z(x) = clamp((R + z − x)/R, 0, 1) on the distance x with a span
// z learned per head, an L1 penalty on the spans, and keys beyond every head's span skipped at inference.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// Adaptive-span attention for an encoder: the distance is |i − j| (the paper's causal t − r mirrored). Parameter
/// <c>span_ratio</c> [H] = u, the span z = S·u; u starts at 0 as in the reference code and should be clamped to [0, 1]
/// after every optimiser step (<see cref="ClampSpans"/>). a_ij = m(|i−j|) e^{s_ij} / Σ_q m(|i−q|) e^{s_iq}.
/// </summary>
public sealed class AdaptiveSpanAttention : AttentionVariant
{
    private readonly AdaptiveSpanOptions _options;
    private readonly Parameter _spanRatio;

    public AdaptiveSpanAttention(AdaptiveSpanOptions options, int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null)
        : base(nameof(AdaptiveSpanAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        _options = options;
        _spanRatio = new Parameter(zeros(heads, dtype: dtype ?? ScalarType.Float32, device: device));   // [H]
        register_parameter("span_ratio", _spanRatio);
    }

    public override VariantOptions Options => _options;

    /// <summary>The learned spans z = S·clamp(u, 0, 1) per head, in tokens.</summary>
    public double[] Spans()
    {
        using var span = _spanRatio.detach().clamp(Scalars.Zero, Scalars.One).mul(Scalars.Of(_options.MaxSpan)).to(ScalarType.Float64, CPU);
        return span.data<double>().ToArray();
    }

    /// <summary>
    /// The largest distance that still has a nonzero weight in some head, ⌈R + max z⌉ − 1: at inference keys farther
    /// away are never computed.
    /// </summary>
    public int InferenceWindow => Math.Max(0, (int)Math.Ceiling(_options.Ramp + Spans().Max()) - 1);

    /// <summary>The penalty S·mean_h(u) (the reference code's; the paper's (1/H) Σ z_h): multiply by the loss coefficient and add to the loss.</summary>
    public Tensor SpanPenalty() => _spanRatio.mean().mul(Scalars.Of(_options.MaxSpan));

    /// <summary>Clamps u to [0, 1]; call after every optimiser step, as the reference code does.</summary>
    public void ClampSpans()
    {
        using var _ = no_grad();
        _spanRatio.clamp_(Scalars.Zero, Scalars.One);
    }

    /// <summary>The ramp mask m_z(x) at distances <paramref name="distance"/> (any shape) per head: [H, ...].</summary>
    public Tensor Mask(Tensor distance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        var shape = new long[distance.dim() + 1];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        var ramp = Scalars.Of(_options.Ramp);
        var z = _spanRatio.mul(Scalars.Of(_options.MaxSpan)).view(shape);           // [H, 1, ...]
        return z.add(ramp, Scalars.One).sub(distance.unsqueeze(0)).div(ramp).clamp(Scalars.Zero, Scalars.One);   // [H, ...]
    }

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        CheckInputs(q, k, v, hidden, keyPadding);
        using var scope = NewDisposeScope();
        int n = (int)q.shape[2];
        int window = InferenceWindow;
        var context = !training && window < n - 1
            ? Banded(q, k, v, keyPadding, window)                                   // [B, H, N, D]
            : Dense(q, k, v, keyPadding);                                           // [B, H, N, D]
        return scope.MoveToOuter(context);
    }

    private Tensor Dense(Tensor q, Tensor k, Tensor v, Tensor keyPadding)
    {
        int n = (int)q.shape[2];
        var positions = arange(Scalars.Of(0), Scalars.Of(n), Scalars.Of(1), dtype: q.dtype, device: q.device);   // [N]
        var distance = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs();    // [N, N]
        var probabilities = VariantMath.MaskedSoftmax(VariantMath.Scores(q, k), VariantMath.KeyMask(keyPadding));  // [B, H, N, N]
        return Renormalised(probabilities * Mask(distance).unsqueeze(0)).matmul(v); // [B, H, N, D]
    }

    // Only the 2w + 1 keys around each query: O(N·w) scores instead of O(N²). Same weights as Dense, since m = 0 beyond w.
    private Tensor Banded(Tensor q, Tensor k, Tensor v, Tensor keyPadding, int w)
    {
        long width = (2 * w) + 1;
        var kWindows = nn.functional.pad(k, [0, 0, w, w]).unfold(2, width, 1).transpose(-1, -2);   // [B, H, N, 2w+1, D]
        var vWindows = nn.functional.pad(v, [0, 0, w, w]).unfold(2, width, 1).transpose(-1, -2);   // [B, H, N, 2w+1, D]
        var real = nn.functional.pad(keyPadding.to_type(ScalarType.Int8), [w, w]).unfold(1, width, 1).to_type(ScalarType.Bool);  // [B, N, 2w+1]
        var scores = (q.unsqueeze(-2) * kWindows).sum(-1).DividedBy(Math.Sqrt(q.shape[^1]));             // [B, H, N, 2w+1]
        var probabilities = VariantMath.MaskedSoftmax(scores, real.unsqueeze(1));  // [B, H, N, 2w+1]
        var offsets = arange(Scalars.Of(-w), Scalars.Of(w + 1), Scalars.Of(1), dtype: q.dtype, device: q.device).abs();   // [2w+1]
        var weights = Renormalised(probabilities * Mask(offsets).unsqueeze(0).unsqueeze(2));   // [B, H, N, 2w+1]
        return (weights.unsqueeze(-1) * vWindows).sum(-2);                          // [B, H, N, D]
    }

    // The mask times the softmax, renormalised: m e^s / Σ m e^s. The diagonal has m = 1, so a real row never sums to 0;
    // the floor only keeps all-padding rows finite.
    private static Tensor Renormalised(Tensor weights)
    {
        return weights / weights.sum(-1, keepdim: true).ClampMin(1e-30);
    }

    public override VariantReport Report() =>
        new(_options.ToString(), new Dictionary<string, IReadOnlyList<double>> { ["span"] = Spans(), ["inference_window"] = [InferenceWindow] });
}
