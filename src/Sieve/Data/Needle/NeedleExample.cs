// One example of the demo's needle task: token ids ([CLS] first, no padding), the class, and where the needle is.
namespace Sieve.Data.Needle;

/// <summary>A sequence of <see cref="NeedleTask"/> ids, its label (the needle's class) and the needle's position.</summary>
public sealed record NeedleExample(int[] Ids, int Label, int NeedlePosition);
