// Options of α-entmax attention (Correia et al. 2019; METHODS.md §11): a fixed α in (1, 2] or one learned per head.
using System.Globalization;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// Spec: <c>entmax(alpha=1.5)</c>, <c>entmax(alpha=learned)</c>, or <c>sparsemax</c> (= α 2, computed in closed form).
/// </summary>
public sealed record EntmaxOptions : VariantOptions
{
    private readonly double? _alpha = 1.5;

    /// <summary>The fixed α in (1, 2]; null means learned per head as 1 + sigmoid(a), a starting at 0 (α = 1.5).</summary>
    public double? Alpha
    {
        get => _alpha;
        init
        {
            if (value is { } a && !(a > 1 && a <= 2))
                throw new ArgumentOutOfRangeException(nameof(Alpha), a, $"entmax needs 1 < alpha <= 2, got {a.ToString(CultureInfo.InvariantCulture)}; alpha = 1 is softmax (use no variant), 2 is sparsemax");
            _alpha = value;
        }
    }

    /// <summary>Halvings of the bisection on τ.</summary>
    public int Iterations { get; init; } = Entmax.DefaultIterations;

    /// <summary>Sparsemax: α fixed at 2.</summary>
    public bool IsSparsemax => Alpha == 2.0;

    public override AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null) =>
        new EntmaxAttention(this, heads, headSize, hiddenSize, maxLength, device, dtype);

    public override string ToString() => Alpha switch
    {
        null => "entmax(alpha=learned)",
        2.0 => "sparsemax",
        { } a => $"entmax(alpha={a.ToString("R", CultureInfo.InvariantCulture)})",
    };
}
