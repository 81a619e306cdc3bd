// Runs the cells of a grid: skips the ones the results file has, copies the ones a reused grid has finished, trains
// the others in their own folders through an injectable CellRunner, and records each finished cell once. The CLI
// drives it cell by cell (`--cell K` for one).
using System.Text.Json;
using Sieve.Data;
using Sieve.Training;

namespace Sieve.Experiments;

/// <summary>Runs the cells of <see cref="Spec"/> with a <see cref="CellRunner"/> and records them in <see cref="Results"/>.</summary>
public sealed class ExperimentRunner
{
    /// <summary>The file in each cell's folder that says which cell the folder belongs to.</summary>
    public const string CellFileName = "cell.json";

    private readonly CellRunner _runner;
    private readonly IReadOnlyList<(string Path, ExperimentSpec Spec)> _reused;

    public ExperimentRunner(ExperimentSpec spec, CellRunner runner)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(runner);
        Spec = spec;
        _runner = runner;
        Cells = spec.Cells();
        Results = new ResultsFile(spec.ResultsPath);
        _reused = [.. spec.Reuse.Select(path => (path, ExperimentSpec.Load(path)))];
    }

    /// <summary>The grid.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>Every cell, in grid order.</summary>
    public IReadOnlyList<ExperimentCell> Cells { get; }

    /// <summary>The results file.</summary>
    public ResultsFile Results { get; }

    /// <summary>Cell <paramref name="index"/> (0-based), or an error naming the valid range.</summary>
    public ExperimentCell Cell(int index) =>
        index >= 0 && index < Cells.Count ? Cells[index]
            : throw new ArgumentException($"there is no cell {index}: the grid {Spec.Name} has {Cells.Count} cells, 0 to {Cells.Count - 1}; see --list.", nameof(index));

    /// <summary>The cells the results file does not have yet, in grid order (a cell the same as an earlier one is never pending).</summary>
    public IReadOnlyList<ExperimentCell> Pending()
    {
        var finished = Results.FinishedIds();
        return [.. Cells.Where(c => c.SameAs is null && !finished.Contains(c.Id))];
    }

    /// <summary>
    /// The line another grid of <see cref="ExperimentSpec.Reuse"/> has for what <paramref name="cell"/> trains, as this
    /// grid's line (its id, index, label and <see cref="CellResult.ReusedFrom"/>); null when none has finished it, or
    /// when the cell is the same as an earlier cell of this grid (reported from that one).
    /// </summary>
    public CellResult? Reusable(ExperimentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.SameAs is not null) return null;
        foreach (var (path, other) in _reused.Where(r => Spec.TrainsLike(r.Spec, cell.Pretrain)))
        {
            var match = other.Cells().FirstOrDefault(c => c.SameAs is null && c.Training == cell.Training);
            if (match is null) continue;
            var result = new ResultsFile(other.ResultsPath).ReadAll().FirstOrDefault(r => r.Id == match.Id);
            if (result is null) continue;
            return result with
            {
                Id = cell.Id,
                Index = cell.Index,
                Pattern = cell.Pattern.Label,
                Layers = cell.Layers.Name,
                ReusedFrom = $"{Path.GetFileName(path)} cell {match.Index} ({match.Id})",
            };
        }
        return null;
    }

    /// <summary>
    /// Runs <paramref name="cell"/> unless it is recorded or <see cref="Reusable"/> (then its line is copied): trains it
    /// in <c>OUTPUT/cell-K</c> (resuming a checkpoint there) and appends its line. An exception from the runner
    /// propagates and records nothing.
    /// </summary>
    public CellRunStatus Run(ExperimentCell cell, IProgress<TrainingProgress>? progress = null, Action<string>? status = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.SameAs is not null) return CellRunStatus.SameAsAnother;
        if (Results.FinishedIds().Contains(cell.Id)) return CellRunStatus.AlreadyFinished;
        if (Reusable(cell) is { } reused) return Results.TryAppend(reused) ? CellRunStatus.Reused : CellRunStatus.RecordedElsewhere;
        var directory = Path.Combine(Spec.OutputDirectory, cell.DirectoryName);
        Claim(directory, cell);
        var measured = _runner(cell, directory, progress, status, cancellationToken);
        if (measured.Outcome == TrainingOutcome.Cancelled) return CellRunStatus.Stopped;
        var paper = TaskDefinition.Parse(cell.Task.Name).PaperMetric.ToString().ToLowerInvariant();
        var result = new CellResult
        {
            Id = cell.Id,
            Index = cell.Index,
            Task = cell.Task.Name,
            Pattern = cell.Pattern.Label,
            PatternSpec = cell.PatternSpec,
            Layers = cell.Layers.Name,
            Seed = cell.Seed,
            Pretrain = cell.Pretrain,
            Outcome = measured.Outcome.ToString(),
            Steps = measured.Steps,
            Metrics = measured.Metrics,
            PaperMetric = paper,
            PaperValue = measured.Outcome == TrainingOutcome.Completed && measured.Metrics.TryGetValue(paper, out double value) ? value : null,
            Sparsity = measured.Sparsity,
            TrainingSeconds = measured.TrainingSeconds + (measured.Pretraining?.Seconds ?? 0),
            FineTuneSeconds = measured.TrainingSeconds,
            PretrainSeconds = measured.Pretraining?.Seconds,
            PretrainSteps = measured.Pretraining?.Steps,
            PretrainMetrics = measured.Pretraining?.Metrics,
            PeakBytes = measured.PeakBytes,
            Learned = measured.Learned,
            FinishedAt = DateTimeOffset.UtcNow,
        };
        return Results.TryAppend(result) ? CellRunStatus.Recorded : CellRunStatus.RecordedElsewhere;
    }

    // A cell folder remembers its cell: if the spec was edited so that index K now names another cell, resuming that
    // folder's checkpoint would silently mix two runs.
    private static void Claim(string directory, ExperimentCell cell)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, CellFileName);
        if (File.Exists(file))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            string? owner = document.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
            if (owner != cell.Id)
                throw new InvalidOperationException($"{directory} holds cell '{owner}', but cell {cell.Index} of the spec is now '{cell.Id}': the spec's grid changed. Use a new output folder, or restore the spec.");
            return;
        }
        File.WriteAllText(file, JsonSerializer.Serialize(new { id = cell.Id, index = cell.Index, patternSpec = cell.PatternSpec }, CellResult.Json));
    }
}
