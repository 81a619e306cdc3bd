// One line of an experiment's results file (JSON lines): the cell, the values of the spec it ran with, what it
// measured, the task's paper metric, and when it finished.
using System.Text.Json;
using System.Text.Json.Serialization;
using Sieve.Learnable;

namespace Sieve.Experiments;

/// <summary>A finished cell as recorded in <see cref="ResultsFile"/>; the JSON names are the camel-cased properties.</summary>
public sealed record CellResult
{
    /// <summary>The cell's stable id (<see cref="ExperimentCell.Id"/>); never twice in one file.</summary>
    public required string Id { get; init; }

    /// <summary>The cell's index in the grid order when it ran.</summary>
    public int Index { get; init; }

    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>The pattern's label.</summary>
    public required string Pattern { get; init; }

    /// <summary>The spec the cell trained with (the pattern placed on the layer set).</summary>
    public required string PatternSpec { get; init; }

    /// <summary>The layer set's name.</summary>
    public required string Layers { get; init; }

    /// <summary>The seed.</summary>
    public int Seed { get; init; }

    /// <summary>Whether a pre-training step came first.</summary>
    public bool Pretrain { get; init; }

    /// <summary>How training ended (<c>Completed</c> or <c>NonFiniteLoss</c>).</summary>
    public required string Outcome { get; init; }

    /// <summary>Optimizer steps done.</summary>
    public int Steps { get; init; }

    /// <summary>The dev metrics by lower-case name.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The name of the task's paper metric (AAA Table 1: accuracy, f1, matthews, pearson …).</summary>
    public required string PaperMetric { get; init; }

    /// <summary>The paper metric's value, or null when training did not complete.</summary>
    public double? PaperValue { get; init; }

    /// <summary>The measured ρ (Eq. 9) over dev, or null.</summary>
    public double? Sparsity { get; init; }

    /// <summary>Wall time of training, in seconds: both phases of a pretrain cell (pre-training and fine-tuning).</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>Wall time of the fine-tuning loop alone, in seconds.</summary>
    public double FineTuneSeconds { get; init; }

    /// <summary>Wall time of the pre-training loop, in seconds; null for a cell without pre-training.</summary>
    public double? PretrainSeconds { get; init; }

    /// <summary>Optimizer steps of pre-training; null for a cell without pre-training.</summary>
    public int? PretrainSteps { get; init; }

    /// <summary>The held-out masked-LM metrics of pre-training (<c>loss</c>, <c>accuracy</c>, <c>sparsity</c>, …); null for a cell without pre-training.</summary>
    public IReadOnlyDictionary<string, double>? PretrainMetrics { get; init; }

    /// <summary>Peak resident memory during training, or null.</summary>
    public long? PeakBytes { get; init; }

    /// <summary>
    /// What a learnable pattern learned, per layer, read on dev: AAA's shares of tokens selected as rows and columns
    /// (its Table 6; the grid keeps no weights to evaluate later), the learned diagonal's offsets, the learned degrees.
    /// Null for a fixed pattern.
    /// </summary>
    public LearnedPatternReport? Learned { get; init; }

    /// <summary>
    /// Where the line was taken from when this grid did not train the cell: another grid's spec file and cell that
    /// trained the same run (<see cref="ExperimentSpec.Reuse"/>); null for a cell trained here.
    /// </summary>
    public string? ReusedFrom { get; init; }

    /// <summary>When the cell finished (UTC).</summary>
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The options of the results file: camelCase, one line, specs left readable.</summary>
    internal static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
