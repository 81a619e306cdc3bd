// One cell of an experiment grid: a task, a pattern, a layer set, a seed and pre-training or not, at a fixed index of
// the grid's order, with an id that names it in the results file whatever the index.
using System.Globalization;

namespace Sieve.Experiments;

/// <summary>A cell of <see cref="ExperimentSpec.Cells"/>.</summary>
/// <param name="Index">The cell's position in the grid order (0-based): tasks, then patterns, layer sets, seeds, pretrain, the last varying fastest.</param>
/// <param name="Task">The task.</param>
/// <param name="Pattern">The pattern as the spec lists it.</param>
/// <param name="Layers">The layers that get the pattern.</param>
/// <param name="Seed">The run's one seed.</param>
/// <param name="Pretrain">Whether a pre-training step comes before fine-tuning.</param>
/// <param name="PatternSpec">The canonical spec the cell trains with: <paramref name="Pattern"/> placed on <paramref name="Layers"/>.</param>
public sealed record ExperimentCell(int Index, ExperimentTask Task, ExperimentPattern Pattern, LayerSet Layers, int Seed, bool Pretrain, string PatternSpec)
{
    /// <summary>
    /// The index of an earlier cell that trains exactly this (same task, spec, learnable target, seed and pre-training), e.g. <c>full</c>
    /// on the layer set <c>later</c> is <c>full</c> on <c>all</c>; null when the cell is the first of its kind. Such a
    /// cell is never trained: it keeps its index (so <c>--cell K</c> and scheduler arrays stay valid) and the report
    /// reads the earlier cell's result for it.
    /// </summary>
    public int? SameAs { get; init; }

    /// <summary>
    /// What the cell trains, its label and index aside: the task, the spec, a learnable row's target, the seed and
    /// pre-training. Two cells of grids with the same model and budget train the same run exactly when these are equal.
    /// </summary>
    public (ExperimentTask Task, string Spec, Learnable.SparsityLoss? Target, string? MatchSparsityOf, Data.DataSplit MatchSparsityOn, int Seed, bool Pretrain) Training =>
        (Task, PatternSpec, Pattern.Target, Pattern.MatchSparsityOf, Pattern.MatchSparsityOn, Seed, Pretrain);

    /// <summary>The stable id, <c>task/pattern/layers/seed-S/pretrain-yes|no</c>: the key of the cell's line in the results file.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Task.Name}/{Pattern.Label}/{Layers.Name}/seed-{Seed}/pretrain-{(Pretrain ? "yes" : "no")}");

    /// <summary>The report row the cell belongs to (everything but the task and the seed).</summary>
    public string RowKey => $"{Pattern.Label}/{Layers.Name}/pretrain-{(Pretrain ? "yes" : "no")}";

    /// <summary>The cell's own training folder under the experiment's output folder.</summary>
    public string DirectoryName => string.Create(CultureInfo.InvariantCulture, $"cell-{Index}");
}
