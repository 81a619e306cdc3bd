// An experiment grid (METHODS.md's ablations, AAA Tables 1 and 4): tasks × patterns × layer sets × seeds × pretrain,
// one budget (and one pre-training budget for the pretrain cells), a reference row for the report. Loaded from YAML (JSON is read too, being YAML); see docs/EXPERIMENTS.md.


namespace Sieve.Experiments;

/// <summary>A declared grid of fine-tuning runs; <see cref="Cells"/> enumerates it in a fixed order.</summary>
public sealed record ExperimentSpec
{
    /// <summary>The file name of the results (JSON lines, one per finished cell) in <see cref="OutputDirectory"/>.</summary>
    public const string ResultsFileName = "results.jsonl";

    /// <summary>The experiment's name (the report's title).</summary>
    public required string Name { get; init; }

    /// <summary>The folder of the results file, the report and every cell's training folder <c>cell-K</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The tasks, in the spec's order.</summary>
    public required IReadOnlyList<ExperimentTask> Tasks { get; init; }

    /// <summary>An HF model directory every cell starts from; exactly one of this and <see cref="ConfigPath"/> is set.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>A config.json every cell trains from scratch (seeded HF initialisation).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The WordPiece vocab.txt for GLUE tasks; null uses the model directory's.</summary>
    public string? VocabPath { get; init; }

    /// <summary>The patterns (rows of the report), in the spec's order.</summary>
    public required IReadOnlyList<ExperimentPattern> Patterns { get; init; }

    /// <summary>The layer sets (default: <c>all</c> only).</summary>
    public IReadOnlyList<LayerSet> LayerSets { get; init; } = [LayerSet.All];

    /// <summary>The seeds (default: 42 only).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [42];

    /// <summary>Pre-train or not (default: not only).</summary>
    public IReadOnlyList<bool> Pretrain { get; init; } = [false];

    /// <summary>What a <c>pretrain: yes</c> cell does before fine-tuning; required when <see cref="Pretrain"/> holds true.</summary>
    public ExperimentPretraining? Pretraining { get; init; }

    /// <summary>The budget of every cell.</summary>
    public ExperimentBudget Budget { get; init; } = new();

    /// <summary>
    /// Other grids' spec files (full paths) whose finished cells this grid takes instead of training them again: a cell
    /// is taken when the other grid <see cref="TrainsLike"/> this one and has a result for the same
    /// <see cref="ExperimentCell.Training"/> (e.g. the <c>full</c> cells every ablation on one task repeats).
    /// </summary>
    public IReadOnlyList<string> Reuse { get; init; } = [];

    /// <summary>The label of the pattern whose rows the report compares against (default: the first pattern).</summary>
    public required string Reference { get; init; }

    /// <summary>The results file.</summary>
    public string ResultsPath => Path.Combine(OutputDirectory, ResultsFileName);

    /// <summary>
    /// Every cell, in the documented order: tasks outermost, then patterns, layer sets, seeds, and pretrain fastest.
    /// Cell K is the same cell for the same spec, so <c>--cell K</c> can be fanned out by any scheduler.
    /// </summary>
    public IReadOnlyList<ExperimentCell> Cells()
    {
        var cells = new List<ExperimentCell>();
        var first = new Dictionary<(ExperimentTask, string, Learnable.SparsityLoss?, string?, Data.DataSplit, int, bool), int>();
        foreach (var task in Tasks)
            foreach (var pattern in Patterns)
            {
                var parsed = Specs.AttentionSpec.Parse(pattern.Spec);
                foreach (var layers in LayerSets)
                {
                    string spec = layers.Apply(parsed).ToString();
                    foreach (int seed in Seeds)
                        foreach (bool pretrain in Pretrain)
                        {
                            var cell = new ExperimentCell(cells.Count, task, pattern, layers, seed, pretrain, spec);
                            int? sameAs = first.TryGetValue(cell.Training, out int earlier) ? earlier : null;
                            first.TryAdd(cell.Training, cells.Count);
                            cells.Add(cell with { SameAs = sameAs });
                        }
                }
            }
        return cells;
    }

    /// <summary>
    /// Whether a cell of <paramref name="other"/> trains what the cell of this grid with the same
    /// <see cref="ExperimentCell.Training"/> trains: the same starting model (or config), vocab and budget, and for a
    /// cell that pre-trains (<paramref name="pretrain"/>) the same pre-training.
    /// </summary>
    public bool TrainsLike(ExperimentSpec other, bool pretrain)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ModelDirectory == other.ModelDirectory && ConfigPath == other.ConfigPath && VocabPath == other.VocabPath
            && Budget == other.Budget && (!pretrain || Pretraining == other.Pretraining);
    }

    /// <summary>Reads a spec file (YAML or JSON); relative paths in it are taken from the file's folder.</summary>
    /// <exception cref="FormatException">The file is malformed; the message names the file, line and field.</exception>
    public static ExperimentSpec Load(string path) => ExperimentSpecReader.Load(path);

    /// <summary>Reads a spec from text; relative paths are taken from <paramref name="baseDirectory"/>.</summary>
    public static ExperimentSpec Parse(string text, string baseDirectory, string sourceName = "spec") =>
        ExperimentSpecReader.Parse(text, baseDirectory, sourceName);
}
