// The length projections E, F ∈ ℝ^{k×n_max} of Linformer (Wang et al. 2020 §4; METHODS.md §8): an object of its own
// so that layer-wise sharing can hand the same parameters to every layer's variant.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// E (keys) and F (values), [k, maxLength], Xavier-uniform with gain 1/√2 as in fairseq. With key-value sharing F is E.
/// Layer-wise sharing: build the first layer's <see cref="LinformerAttention"/> normally, then pass its
/// <see cref="LinformerAttention.Projection"/> to every other layer's constructor; each layer registers the same
/// parameter as <c>e_proj</c>, so the state dict holds identical copies under every layer and a load sets them all.
/// </summary>
public sealed class LinformerProjection
{
    public LinformerProjection(int k, int maxLength, bool shareKeyValue, Device? device = null, ScalarType? dtype = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (k > maxLength)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"linformer k = {k} exceeds the maximum length {maxLength}: nothing to compress; use k <= {maxLength}");
        K = k;
        MaxLength = maxLength;
        E = New(k, maxLength, device, dtype);
        F = shareKeyValue ? E : New(k, maxLength, device, dtype);
    }

    /// <summary>The projected length.</summary>
    public int K { get; }

    /// <summary>The longest input; shorter inputs use the first n columns.</summary>
    public int MaxLength { get; }

    /// <summary>The key projection [k, maxLength].</summary>
    public Parameter E { get; }

    /// <summary>The value projection [k, maxLength]; the same object as <see cref="E"/> under key-value sharing.</summary>
    public Parameter F { get; }

    /// <summary>Whether F is E.</summary>
    public bool SharesKeyValue => ReferenceEquals(E, F);

    private static Parameter New(int k, int maxLength, Device? device, ScalarType? dtype)
    {
        var weight = empty(k, maxLength, dtype: dtype ?? ScalarType.Float32, device: device);   // [k, n_max]
        using (no_grad()) nn.init.xavier_uniform_(weight, 1 / Math.Sqrt(2));
        return new Parameter(weight);
    }
}
