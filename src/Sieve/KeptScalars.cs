// TorchSharp 0.107 releases an implicitly converted Scalar (the alpha of `a + b`, the factor of `t * 0.5`) in its
// finalizer, and the GC may run that finalizer while libtorch still reads the Scalar: once its handle is passed, the
// managed object is dead. Under allocation pressure this surfaced mid-training as "Unknown scalar type". The hot
// paths therefore use Scalars made once here and held for the life of the process.
using System.Collections.Concurrent;
using TorchSharp;

namespace Sieve;

/// <summary>Process-lifetime Scalars for the operations run on every step.</summary>
internal static class KeptScalars
{
    /// <summary>1, the alpha of a plain tensor addition or subtraction.</summary>
    public static Scalar One { get; } = 1.0.ToScalar();

    /// <summary>0, the threshold of a comparison such as <c>logits &gt; 0</c>.</summary>
    public static Scalar Zero { get; } = 0.0.ToScalar();

    private static readonly ConcurrentDictionary<long, Scalar> _integers = new();

    /// <summary>
    /// A process-lifetime integer Scalar for <paramref name="value"/>, made once per value: for the model's own constants
    /// used on every step (a largest offset or degree, a padded length), a small set of values.
    /// </summary>
    public static Scalar Of(long value) => _integers.GetOrAdd(value, v => v.ToScalar());
}
