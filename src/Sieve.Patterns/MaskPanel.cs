// One panel of a mask picture: a built layout and the title printed under it (its spec, as in AAA Figure 1).
namespace Sieve.Patterns;

/// <summary>A layout to draw and the title written under it.</summary>
public sealed record MaskPanel(string Title, CsrLayout Layout);
