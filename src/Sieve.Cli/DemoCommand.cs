// `sieve demo`: the main job on built-in defaults — generate a long-range task, train small encoders from scratch with
// full, local(2), local(2)+global(1) and BigBird attention, print ρ, accuracy, time and memory, and write a report.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sieve.Demo;
using Sieve.Learnable;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Builds the <c>demo</c> command.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var defaults = new DemoOptions();
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "The report folder (default: sieve-demo-<date-time> in the current folder)." };
        var patterns = new Option<string[]>("--pattern") { Description = "A pattern to compare (repeat the option); default: " + string.Join(", ", defaults.Patterns) + "." };
        var length = new Option<int>("--length") { Description = "The longest sequence; the shortest is half of it.", DefaultValueFactory = _ => defaults.Task.MaxLength };
        var steps = new Option<int>("--steps") { Description = "Training steps per run.", DefaultValueFactory = _ => defaults.Steps };
        var seeds = new Option<int>("--seeds") { Description = "Model seeds per pattern.", DefaultValueFactory = _ => defaults.Seeds.Count };
        var train = new Option<int>("--train-examples") { Description = "Generated training examples.", DefaultValueFactory = _ => defaults.TrainExamples };
        var layers = new Option<int>("--layers") { Description = "Encoder layers.", DefaultValueFactory = _ => defaults.Layers };
        var hidden = new Option<int>("--hidden-size") { Description = "Encoder hidden size.", DefaultValueFactory = _ => defaults.HiddenSize };
        var sublayers = new Option<string?>("--sublayers") { Description = "The sublayer order of every model (Press et al. 2020), e.g. sssfff for 3 layers, or sandwich(k=K) (default: interleaved sfsf…)." };
        var targetSparsity = new Option<double?>("--target-sparsity") { Description = "Train the learnable patterns among --pattern (e.g. learned_diagonal(max_offset=32, level=task)+global(1)) towards this ρ, AAA Eq. 10 with α = 1." };
        var format = new Option<OutputFormat>("--format") { Description = "table or json (the runs).", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("demo", "Train small encoders on a generated long-range task with several patterns and compare sparsity, accuracy, time and memory (AAA Table 2 in ten minutes).")
        {
            output, patterns, length, steps, seeds, train, layers, hidden, sublayers, targetSparsity, format,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "demo", () =>
        {
            int maxLength = parse.GetValue(length);
            var options = defaults with
            {
                Patterns = parse.GetValue(patterns) is { Length: > 0 } chosen ? chosen : defaults.Patterns,
                Task = defaults.Task with { MaxLength = maxLength, MinLength = maxLength / 2, MinDistance = Math.Min(defaults.Task.MinDistance, maxLength / 4) },
                Steps = parse.GetValue(steps),
                Seeds = [.. Enumerable.Range(1, Math.Max(1, parse.GetValue(seeds)))],
                TrainExamples = parse.GetValue(train),
                Layers = parse.GetValue(layers),
                HiddenSize = parse.GetValue(hidden),
                Sublayers = parse.GetValue(sublayers),
                SparsityTarget = parse.GetValue(targetSparsity) is double rho ? new SparsityLoss { Target = rho } : null,
            };
            options.Validate();
            var folder = parse.GetValue(output)?.FullName
                ?? Path.GetFullPath($"sieve-demo-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            var error = parse.InvocationConfiguration.Error;
            error.WriteLine($"sieve demo: {options.Patterns.Count} patterns × {options.Seeds.Count} seeds, {options.Steps} steps each; report in {folder}");
            var clock = Stopwatch.StartNew();
            var runs = TrainingDisplay.RunMany(error, (progress, stop) => DemoRunner.Run(options, folder, progress, stop));
            clock.Stop();
            DemoReport.Write(folder, options, runs, clock.Elapsed);

            var writer = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                writer.WriteLine(JsonSerializer.Serialize(new { report = folder, runs }, CommandRunner.Json));
                return 0;
            }
            var table = new Table().AddColumns("pattern", "ρ (Eq. 9)", "accuracy", "min–max", "train time", "peak extra memory");
            foreach (var row in DemoReport.Summarise(runs))
            {
                table.AddRow(Markup.Escape(row.Pattern), F(row.Sparsity, "0.000"), F(100 * row.Accuracy, "0.0") + " %",
                    $"{F(100 * row.MinAccuracy, "0.0")}–{F(100 * row.MaxAccuracy, "0.0")} %", F(row.TrainingSeconds, "0.0") + " s",
                    row.PeakExtraBytes is long b ? F(b / 1048576.0, "0") + " MiB" : "n/a");
            }
            CommandRunner.PlainConsole(writer).Write(table);
            writer.WriteLine($"chance is {F(100.0 / options.Task.Classes, "0")} %. Report, pictures and plot: {Path.Combine(folder, DemoReport.MarkdownFile)} ({F(clock.Elapsed.TotalMinutes, "0.0")} min)");
            return 0;
        }));
        return command;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
