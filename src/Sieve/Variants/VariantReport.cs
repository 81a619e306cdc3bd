// What a variant reports after training or evaluation (the issue's "spans are reported", "learned α", "share of exact
// zeros"): named series of numbers, per head where the quantity is per head.
using System.Globalization;

namespace Sieve.Variants;

/// <summary>A variant's report: its spec and named values (one per head, or a single number).</summary>
public sealed record VariantReport(string Spec, IReadOnlyDictionary<string, IReadOnlyList<double>> Values)
{
    /// <summary>One line per value, e.g. <c>span: 12.5, 3</c>.</summary>
    public override string ToString() =>
        string.Join('\n', [Spec, .. Values.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}")]);
}
