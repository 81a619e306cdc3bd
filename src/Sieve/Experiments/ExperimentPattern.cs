// One row of an experiment grid: a spec in the one grammar (a pattern or schedule, an attention variant, a learnable
// pattern), the label its row carries in the report, and for a learnable pattern the sparsity target it trains towards.
using Sieve.Data;
using Sieve.Learnable;

namespace Sieve.Experiments;

/// <summary>A pattern of <see cref="ExperimentSpec"/>.</summary>
/// <param name="Label">The row label in cell ids and the report (defaults to the canonical spec).</param>
/// <param name="Spec">The canonical spec (AttentionSpec's grammar: patterns, schedules, variants, learnable patterns).</param>
public sealed record ExperimentPattern(string Label, string Spec)
{
    /// <summary>The sparsity target (AAA Eq. 10) a learnable pattern's cells train towards, or null.</summary>
    public SparsityLoss? Target { get; init; }

    /// <summary>
    /// A fixed pattern (canonical spec) whose ρ (Eq. 9) on each cell's training examples replaces <see cref="Target"/>'s
    /// number when the cell runs, as AAA Table 4 trains AAA to each task's sparsity of the pattern it is compared with;
    /// null when the target is a number.
    /// </summary>
    public string? MatchSparsityOf { get; init; }

    /// <summary>The split <see cref="MatchSparsityOf"/>'s ρ is measured on (<c>match_sparsity_on</c>): train or dev.</summary>
    public DataSplit MatchSparsityOn { get; init; } = DataSplit.Train;
}
