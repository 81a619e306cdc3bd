// One pattern (or schedule) of an experiment grid, with the label its row carries in the report.
namespace Sieve.Experiments;

/// <summary>A pattern of <see cref="ExperimentSpec"/>.</summary>
/// <param name="Label">The row label in cell ids and the report (defaults to the canonical spec).</param>
/// <param name="Spec">The canonical pattern spec (the Sieve.Patterns grammar, schedules included).</param>
public sealed record ExperimentPattern(string Label, string Spec);
