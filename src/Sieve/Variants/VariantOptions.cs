// The options of an attention variant: an immutable record per variant, parsed from and printed to its spec
// (VariantSpec), which also builds the variant it describes.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>Options of one attention variant; <c>ToString()</c> is the canonical spec that <see cref="Sieve.Specs.VariantSpec.Parse"/> reads back.</summary>
public abstract record VariantOptions
{
    /// <summary>Builds the variant for a layer with these sizes.</summary>
    public abstract AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null);
}
