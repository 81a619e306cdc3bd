// Scalar safety (ARCHITECTURE.md). TorchSharp 0.107 frees a Scalar's native handle in its finalizer, and a Scalar made
// on the fly (the implicit conversion in `t * 0.5`, the alpha 1 that `a + b` makes inside TorchSharp) is dead to the
// GC as soon as its handle has been read, so the finalizer may run while libtorch still reads it: under allocation
// pressure this surfaced mid-training as "Unknown scalar type". src/BannedSymbols.txt makes every such conversion and
// operator a build error in src/; this file is what call sites use instead. Each Scalar here is either held for the
// life of the process (One, Zero, Of) or made in a `using` that disposes it after the native call has returned.
// A Scalar used several times in one method is the one other safe form: `using var s = x.ToScalar();`.
using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve;

/// <summary>Process-lifetime Scalars and tensor operations that never leave a Scalar to the finalizer.</summary>
internal static class Scalars
{
    /// <summary>1, the alpha of a plain tensor addition.</summary>
    public static Scalar One { get; } = 1.0.ToScalar();

    /// <summary>0, the threshold of a comparison such as <c>logits &gt; 0</c>.</summary>
    public static Scalar Zero { get; } = 0.0.ToScalar();

    private static readonly ConcurrentDictionary<long, Scalar> _integers = new();

    /// <summary>
    /// A process-lifetime integer Scalar for <paramref name="value"/>, made once per value: for the model's own constants
    /// used on every step (a largest offset or degree, a padded length), a small set of values.
    /// </summary>
    public static Scalar Of(long value) => _integers.GetOrAdd(value, v => v.ToScalar());

    /// <summary><paramref name="a"/> + <paramref name="b"/> with the kept alpha 1 (the operator makes a new one per call).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><paramref name="a"/> += <paramref name="b"/> with the kept alpha 1.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary><paramref name="t"/> · <paramref name="factor"/>, a double Scalar disposed after the call.</summary>
    public static Tensor Times(this Tensor t, double factor)
    {
        using var s = factor.ToScalar();
        return t.mul(s);
    }

    /// <summary><paramref name="t"/> / <paramref name="divisor"/>, a double Scalar disposed after the call.</summary>
    public static Tensor DividedBy(this Tensor t, double divisor)
    {
        using var s = divisor.ToScalar();
        return t.div(s);
    }

    /// <summary><paramref name="t"/> clamped below at <paramref name="min"/>, a double Scalar disposed after the call.</summary>
    public static Tensor ClampMin(this Tensor t, double min)
    {
        using var s = min.ToScalar();
        return t.clamp_min(s);
    }

    /// <summary><paramref name="t"/> + <paramref name="value"/> (alpha 1), a double Scalar disposed after the call.</summary>
    public static Tensor Plus(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add(s, One);
    }

    /// <summary><paramref name="t"/> clamped to [<paramref name="min"/>, <paramref name="max"/>], Scalars disposed after the call.</summary>
    public static Tensor Clamp(this Tensor t, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return t.clamp(low, high);
    }

    /// <summary><paramref name="t"/> with <paramref name="value"/> where <paramref name="mask"/> holds, a new tensor.</summary>
    public static Tensor MaskedFill(this Tensor t, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return t.masked_fill(mask, s);
    }

    /// <summary><paramref name="t"/> filled in place with <paramref name="value"/> where <paramref name="mask"/> holds.</summary>
    public static Tensor MaskedFillInPlace(this Tensor t, Tensor mask, double value)
    {
        using var s = value.ToScalar();
        return t.masked_fill_(mask, s);
    }

    /// <summary><paramref name="t"/> filled in place with <paramref name="value"/>, a double Scalar disposed after the call.</summary>
    public static Tensor FillInPlace(this Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.fill_(s);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/> (a double Scalar disposed after the call).</summary>
    public static Tensor Full(long[] shape, double value, ScalarType? dtype = null, Device? device = null)
    {
        using var s = value.ToScalar();
        return full(shape, s, dtype: dtype, device: device);
    }

    /// <summary>The integers [<paramref name="start"/>, <paramref name="stop"/>) with kept integer Scalars (step 1).</summary>
    public static Tensor Arange(long start, long stop, ScalarType? dtype = null, Device? device = null) =>
        arange(Of(start), Of(stop), Of(1), dtype: dtype, device: device);
}
