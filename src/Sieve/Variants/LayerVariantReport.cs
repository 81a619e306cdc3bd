// One layer's attention-variant report in an evaluation: which layer, and what its variant learned or measured (the
// spans of adaptive span, α and the share of exact zeros of entmax, ...).
namespace Sieve.Variants;

/// <summary>The <see cref="VariantReport"/> of the variant of layer <paramref name="Layer"/>.</summary>
public sealed record LayerVariantReport(int Layer, VariantReport Report);
