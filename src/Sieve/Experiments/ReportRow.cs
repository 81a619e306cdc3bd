// One row of an experiment report: a pattern on a layer set, with or without pre-training, across the tasks.
namespace Sieve.Experiments;

/// <summary>A row of <see cref="ExperimentReport"/>.</summary>
/// <param name="Pattern">The pattern's label.</param>
/// <param name="Layers">The layer set's name.</param>
/// <param name="Pretrain">Whether the cells pre-trained first.</param>
/// <param name="Entries">Per task, in the spec's task order: the summary, or null when no run of it completed.</param>
public sealed record ReportRow(string Pattern, string Layers, bool Pretrain, IReadOnlyList<ReportEntry?> Entries)
{
    /// <summary>The mean over tasks of the per-task mean paper metric; null unless every task has an entry.</summary>
    public double? AveragePerformance => Entries.All(e => e is not null) ? Entries.Average(e => e!.Performance) : null;

    /// <summary>The mean over tasks of the per-task mean ρ; null unless every task has an entry.</summary>
    public double? AverageSparsity => Entries.All(e => e is not null) ? Entries.Average(e => e!.Sparsity) : null;
}
