// Attention with α-entmax in place of softmax (Correia et al. 2019, "Adaptively Sparse Transformers"; METHODS.md §11):
// p = entmax_α(q·kᵀ/√D) over the real keys, α fixed or learned per head; padding keys and low scores get exact zeros.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>α-entmax attention; learned α is the parameter <c>alpha_logit</c> [H], α = 1 + sigmoid(alpha_logit).</summary>
public sealed class EntmaxAttention : AttentionVariant
{
    /// <summary>The smallest learned α: the bisection's exponent 1/(α−1) and the α-gradient's 1/(α−1)² blow up near 1.</summary>
    public const double LearnedAlphaFloor = 1.01;

    private readonly EntmaxOptions _options;
    private readonly int _heads;
    private readonly Parameter? _alphaLogit;
    private long _zeros;
    private long _pairs;

    public EntmaxAttention(EntmaxOptions options, int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null)
        : base(nameof(EntmaxAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        _options = options;
        _heads = heads;
        if (options.Alpha is null)
        {
            _alphaLogit = new Parameter(zeros(heads, dtype: dtype ?? ScalarType.Float32, device: device));  // [H]: α = 1.5
            register_parameter("alpha_logit", _alphaLogit);
        }
    }

    public override VariantOptions Options => _options;

    /// <summary>α per head [H] (a view of the parameter when learned, so gradients reach it).</summary>
    public Tensor Alpha(ScalarType dtype, Device device)
    {
        if (_alphaLogit is { } a)
        {
            return a.sigmoid().add(Scalars.One, Scalars.One).Clamp(LearnedAlphaFloor, 2.0).to(dtype, device);   // [H]
        }
        return Scalars.Full([_heads], _options.Alpha!.Value, dtype, device);                  // [H]
    }

    /// <summary>The share of exact zeros among real (query, key) pairs since construction or <see cref="ResetStatistics"/>.</summary>
    public double ZeroShare => _pairs == 0 ? 0 : (double)_zeros / _pairs;

    /// <summary>Starts a new count for <see cref="ZeroShare"/> (e.g. at the start of an evaluation).</summary>
    public void ResetStatistics() => (_zeros, _pairs) = (0, 0);

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        CheckInputs(q, k, v, hidden, keyPadding);
        using var scope = NewDisposeScope();
        var scores = VariantMath.Scores(q, k)                                       // [B, H, N, N]
            .MaskedFill(VariantMath.KeyMask(keyPadding).logical_not(), VariantMath.Disallowed);
        var probabilities = _options.IsSparsemax
            ? Entmax.Sparsemax(scores)                                              // [B, H, N, N]
            : Entmax.Bisect(scores, Alpha(q.dtype, q.device).view(1, -1, 1, 1), _options.Iterations);
        using (no_grad())
        {
            var real = VariantMath.RealPairs(keyPadding).expand_as(probabilities); // [B, H, N, N]
            _zeros += probabilities.eq(Scalars.Zero).logical_and(real).sum().item<long>();
            _pairs += real.sum().item<long>();
        }
        return scope.MoveToOuter(probabilities.matmul(v));                          // [B, H, N, D]
    }

    public override VariantReport Report()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var alpha = Alpha(ScalarType.Float64, CPU).data<double>().ToArray();
        return new VariantReport(_options.ToString(), new Dictionary<string, IReadOnlyList<double>>
        {
            ["alpha"] = alpha,
            ["zero_share"] = [ZeroShare],
        });
    }
}
