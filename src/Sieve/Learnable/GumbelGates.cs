// The relaxation core of every learnable pattern: hard Gumbel-sigmoid (binary keep/drop, SparseBERT DAM and AAA Eq. 11)
// and hard Gumbel-softmax (a categorical choice, METHODS.md §2.4) with straight-through gradients, and their noise-free
// deterministic thresholds for evaluation (METHODS.md §3.3, §4.4; Appendix A gumbel_sigmoid / dam_mask).
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>Gumbel relaxations with straight-through hard forms; noise comes from an optional generator.</summary>
public static class GumbelGates
{
    // Uniform draws are made in float64 and kept inside (ε, 1 − ε) so that log(u) and log(1 − u) stay finite; the
    // noise is cast to the logits' dtype afterwards.
    private const double Epsilon = 1e-10;

    /// <summary>
    /// Binary gates from keep logits z (any shape): soft s = σ((z + ℓ)/τ) with logistic noise ℓ = log u − log(1 − u)
    /// (the difference of two Gumbels, so this equals SparseBERT's 2-class Gumbel-softmax on (keep − drop) logits).
    /// Straight-through: forward exactly 1[z + ℓ &gt; 0] ∈ {0, 1}, gradient that of s. The hard value is written as
    /// hard + (s − stopgrad(s)): the bracket is exactly 0, so the forward value is exactly 0 or 1 in any dtype.
    /// <paramref name="noiseScale"/> multiplies ℓ (1: the relaxation as defined; towards 0 the samples approach the
    /// evaluation threshold).
    /// </summary>
    public static Tensor Binary(Tensor logits, double temperature, GateMode mode, bool noise, Generator? generator = null, double noiseScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        using var scale = noiseScale.ToScalar();   // the alpha of the noise: a Scalar disposed at the end
        var noisy = noise && noiseScale > 0 ? logits.add(Logistic(logits, generator), scale) : logits;     // [...]
        var soft = noisy.DividedBy(temperature).sigmoid();                                  // [...]
        var gates = mode == GateMode.Soft ? soft : StraightThrough(noisy.gt(Scalars.Zero).to(logits.dtype), soft);
        return gates.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Categorical one-hot gates from logits [..., K]: soft y = softmax((z + g)/τ) with Gumbel noise g; straight-through
    /// forward is the exact one-hot of argmax(z + g), gradient that of y. <paramref name="noiseScale"/> multiplies g.
    /// </summary>
    public static Tensor Categorical(Tensor logits, double temperature, GateMode mode, bool noise, Generator? generator = null, double noiseScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        using var scope = NewDisposeScope();
        using var scale = noiseScale.ToScalar();   // the alpha of the noise: a Scalar disposed at the end
        var noisy = noise && noiseScale > 0 ? logits.add(Gumbel(logits, generator), scale) : logits;        // [..., K]
        var soft = noisy.DividedBy(temperature).softmax(-1);                                // [..., K]
        var gates = mode == GateMode.Soft ? soft : StraightThrough(OneHotArgmax(noisy), soft);
        return gates.MoveToOuterDisposeScope();
    }

    /// <summary>The evaluation form of <see cref="Binary"/>: 1[z &gt; 0], no noise, no gradient.</summary>
    public static Tensor BinaryThreshold(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.detach().gt(Scalars.Zero).to(logits.dtype);
    }

    /// <summary>The evaluation form of <see cref="Categorical"/>: the one-hot of argmax z, no noise, no gradient.</summary>
    public static Tensor CategoricalArgmax(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return OneHotArgmax(logits.detach());
    }

    /// <summary>hard + (soft − stopgrad(soft)): the value of hard, the gradient of soft.</summary>
    public static Tensor StraightThrough(Tensor hard, Tensor soft)
    {
        ArgumentNullException.ThrowIfNull(hard);
        ArgumentNullException.ThrowIfNull(soft);
        return hard.add(soft.sub(soft.detach()), Scalars.One);
    }

    private static Tensor OneHotArgmax(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var index = logits.argmax(-1);                                                      // [...]
        var hot = nn.functional.one_hot(index, logits.shape[^1]).to(logits.dtype);          // [..., K]
        return hot.MoveToOuterDisposeScope();
    }

    private static readonly Scalar _low = Epsilon.ToScalar(), _high = (1 - Epsilon).ToScalar();   // held for the process (Scalars.cs)

    private static Tensor Uniform(Tensor like, Generator? generator) =>
        rand(like.shape, dtype: ScalarType.Float64, device: like.device, generator: generator).clamp(_low, _high);

    private static Tensor Logistic(Tensor like, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var u = Uniform(like, generator);                                                   // [...]
        return u.log().sub(u.neg().log1p()).to(like.dtype).MoveToOuterDisposeScope();          // [...]
    }

    private static Tensor Gumbel(Tensor like, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var u = Uniform(like, generator);                                                   // [...]
        return u.log().neg().log().neg().to(like.dtype).MoveToOuterDisposeScope();              // [...]
    }
}
