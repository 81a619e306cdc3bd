// `sieve experiment run SPEC [--cell K | --list | --dry-run]` and `sieve experiment report SPEC`: run a declared grid
// of (pre-training and) fine-tuning cells (one cell per process with --cell, for any job scheduler), and report it as the papers do.
using System.CommandLine;
using System.Globalization;
using Sieve.Experiments;

namespace Sieve.Cli;

/// <summary>Builds the <c>experiment</c> command group.</summary>
internal static class ExperimentCommand
{
    public static Command Build()
    {
        var command = new Command("experiment", "Run a grid of fine-tuning cells declared in a spec file (tasks × patterns × layer sets × seeds × pretrain) and report it; see docs/EXPERIMENTS.md.");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Report());
        return command;
    }

    private static Command Run()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The experiment spec (YAML or JSON)." };
        var cell = new Option<int?>("--cell") { Description = "Run only cell K (0-based, see --list), e.g. as one job of a scheduler's array." };
        var list = new Option<bool>("--list") { Description = "Print every cell with its index, id and whether it is done, and run nothing." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would run and what would be skipped, and run nothing." };
        var command = new Command("run", "Run the cells of a grid that the results file does not have yet; each finished cell is appended once to OUTPUT/results.jsonl.")
        {
            spec, cell, list, dryRun,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "experiment run", () =>
        {
            var experiment = ExperimentSpec.Load(parse.GetValue(spec)!.FullName);
            var runner = new ExperimentRunner(experiment, FineTuneCellRunner.For(experiment));
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var finished = runner.Results.FinishedIds();
            int count = runner.Cells.Count;
            if (parse.GetValue(list))
            {
                foreach (var c in runner.Cells)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{c.Index}\t{c.Id}\t{(c.SameAs is int same ? $"same as {same}" : finished.Contains(c.Id) ? "done" : runner.Reusable(c) is { } reused ? $"pending, finished in {reused.ReusedFrom}" : "pending")}\t{c.PatternSpec}"));
                return 0;
            }
            IReadOnlyList<ExperimentCell> cells = parse.GetValue(cell) is int k ? [runner.Cell(k)] : runner.Cells;
            if (parse.GetValue(dryRun))
            {
                foreach (var c in cells)
                    output.WriteLine(c.SameAs is int same ? $"skip cell {c.Index} of {count}: {c.Id} (the same training as cell {same})"
                        : finished.Contains(c.Id)
                        ? $"skip cell {c.Index} of {count}: {c.Id} (already in {runner.Results.Path})"
                        : runner.Reusable(c) is { } reused
                        ? $"copy cell {c.Index} of {count}: {c.Id} from {reused.ReusedFrom} (the same training, finished there)"
                        : $"run  cell {c.Index} of {count}: {c.Id} with {c.PatternSpec} in {Path.Combine(experiment.OutputDirectory, c.DirectoryName)}"
                            + (c.Pretrain ? $", pre-training on {experiment.Pretraining?.CorpusPath} first" : ""));
                return 0;
            }
            foreach (var c in cells)
            {
                output.WriteLine($"cell {c.Index} of {count}: {c.Id}");
                var status = TrainingDisplay.Run(error, c.Id, (progress, stop) => runner.Run(c, progress, error.WriteLine, stop));
                switch (status)
                {
                    case CellRunStatus.AlreadyFinished:
                        output.WriteLine("  already finished, skipped");
                        break;
                    case CellRunStatus.SameAsAnother:
                        output.WriteLine($"  the same training as cell {c.SameAs} ({runner.Cells[c.SameAs!.Value].Id}); not trained twice, reported from it");
                        break;
                    case CellRunStatus.Reused:
                        output.WriteLine($"  the same training is finished in {runner.Reusable(c)?.ReusedFrom}; its result copied to {runner.Results.Path}, not trained again");
                        break;
                    case CellRunStatus.RecordedElsewhere:
                        output.WriteLine("  finished, but another process recorded it first; not recorded twice");
                        break;
                    case CellRunStatus.Stopped:
                        output.WriteLine("  stopped; nothing recorded. Run the same command again to resume it from its checkpoint.");
                        return CommandRunner.Cancelled;
                    default:
                        output.WriteLine($"  recorded in {runner.Results.Path}");
                        break;
                }
            }
            return 0;
        }));
        return command;
    }

    private static Command Report()
    {
        var spec = new Argument<FileInfo>("spec") { Description = "The experiment spec (YAML or JSON)." };
        var outputDir = new Option<DirectoryInfo?>("--output", "-o") { Description = "Where to write report.md and report.png (default: the spec's output folder)." };
        var command = new Command("report", "Write the grid's table in the papers' form (ρ and Pf. per task, change against the reference row) as markdown, and a PNG plot of Pf. against ρ.")
        {
            spec, outputDir,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "experiment report", () =>
        {
            var experiment = ExperimentSpec.Load(parse.GetValue(spec)!.FullName);
            var results = new ResultsFile(experiment.ResultsPath).ReadAll();
            var report = ExperimentReport.Build(experiment, results);
            var folder = parse.GetValue(outputDir)?.FullName ?? experiment.OutputDirectory;
            Directory.CreateDirectory(folder);
            var markdown = report.ToMarkdown();
            var table = Path.Combine(folder, "report.md");
            var picture = Path.Combine(folder, "report.png");
            File.WriteAllText(table, markdown);
            report.SavePlot(picture);
            parse.InvocationConfiguration.Output.Write(markdown);
            parse.InvocationConfiguration.Error.WriteLine($"wrote {table} and {picture} from {results.Count} result line(s)");
            return 0;
        }));
        return command;
    }
}
