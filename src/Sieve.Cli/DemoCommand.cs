// `sieve demo`: the main job on built-in defaults. By default the built-in pre-trained encoder is fine-tuned on the
// bundled SST-2 sample with full, local(2)+global(2), BigBird and AAA attention (AAA Table 1 and 4 in ten minutes);
// `--task needle` trains small encoders from scratch on a generated long-range task instead (AAA Table 2). Both print
// ρ, accuracy, time and memory, and write a report with the patterns drawn and accuracy plotted against sparsity.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sieve.Demo;
using Sieve.Learnable;
using Sieve.Models;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Builds the <c>demo</c> command.</summary>
internal static class DemoCommand
{
    private enum DemoTask { Sst2, Needle }

    public static Command Build()
    {
        var needle = new DemoOptions();
        var sst2 = new FineTuneDemoOptions { ModelDirectory = "" };
        var task = new Option<DemoTask>("--task") { Description = "sst2: fine-tune the pre-trained --model on the bundled SST-2 sample (default); needle: train small encoders from scratch on a generated long-range task.", DefaultValueFactory = _ => DemoTask.Sst2 };
        var output = new Option<DirectoryInfo?>("--output", "-o") { Description = "The report folder (default: sieve-demo-<date-time> in the current folder)." };
        var patterns = new Option<string[]>("--pattern") { Description = $"A pattern to compare (repeat the option); default for sst2: {string.Join(", ", sst2.Patterns)}; for needle: {string.Join(", ", needle.Patterns)}." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per pattern.", DefaultValueFactory = _ => 2 };
        var targetSparsity = new Option<double?>("--target-sparsity") { Description = $"Train the learnable patterns among --pattern towards this ρ (AAA Eq. 10); default for sst2: the ρ of {sst2.MatchSparsityOf} on the dev sentences (their lengths only); for needle: none." };
        var format = new Option<OutputFormat>("--format") { Description = "table or json (the runs).", DefaultValueFactory = _ => OutputFormat.Table };
        // sst2 only
        var model = ModelOption.Create("sst2: the pre-trained model to fine-tune", required: false);
        model.DefaultValueFactory = _ => BuiltInModels.Default.Name;
        var trainExamples = new Option<int?>("--train-examples") { Description = $"Training examples: sst2, the first N of the bundled {Sst2Sample.TrainRows} sentences (default {sst2.TrainExamples}); needle, generated (default {needle.TrainExamples})." };
        var devExamples = new Option<int>("--dev-examples") { Description = $"sst2: dev sentences to evaluate on (the first N; default all {Sst2Sample.DevRows}).", DefaultValueFactory = _ => sst2.DevExamples };
        var epochs = new Option<int>("--epochs") { Description = "sst2: epochs over the training sentences.", DefaultValueFactory = _ => sst2.Epochs };
        // needle only
        var length = new Option<int>("--length") { Description = "needle: the longest sequence; the shortest is half of it.", DefaultValueFactory = _ => needle.Task.MaxLength };
        var steps = new Option<int>("--steps") { Description = "needle: training steps per run.", DefaultValueFactory = _ => needle.Steps };
        var layers = new Option<int>("--layers") { Description = "needle: encoder layers.", DefaultValueFactory = _ => needle.Layers };
        var hidden = new Option<int>("--hidden-size") { Description = "needle: encoder hidden size.", DefaultValueFactory = _ => needle.HiddenSize };
        var sublayers = new Option<string?>("--sublayers") { Description = "needle: the sublayer order of every model (Press et al. 2020), e.g. sssfff for 3 layers, or sandwich(k=K) (default: interleaved sfsf…)." };
        var command = new Command("demo", "Fine-tune the built-in pre-trained encoder on SST-2 with several attention patterns and compare sparsity, accuracy, time and memory (AAA Tables 1 and 4 in ten minutes); --task needle: small encoders on a long-range task (AAA Table 2).")
        {
            task, output, patterns, seeds, targetSparsity, format, model, trainExamples, devExamples, epochs, length, steps, layers, hidden, sublayers,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "demo", () =>
        {
            var chosen = parse.GetValue(patterns) is { Length: > 0 } given ? given : null;
            var seedList = Enumerable.Range(1, Math.Max(1, parse.GetValue(seeds))).ToArray();
            var folder = parse.GetValue(output)?.FullName
                ?? Path.GetFullPath($"sieve-demo-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            var error = parse.InvocationConfiguration.Error;
            bool isNeedle = parse.GetValue(task) == DemoTask.Needle;
            // An option of the other task would be silently ignored: say so instead.
            Option[] otherTasks = isNeedle ? [model, devExamples, epochs] : [length, steps, layers, hidden, sublayers];
            if (otherTasks.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } misplaced)
                throw new ArgumentException($"{misplaced.Name} applies to --task {(isNeedle ? "sst2" : "needle")} only; drop it or add --task {(isNeedle ? "sst2" : "needle")}.");
            IReadOnlyList<DemoRun> runs;
            DemoReportSetup setup;
            string chance;
            var clock = Stopwatch.StartNew();
            if (isNeedle)
            {
                int maxLength = parse.GetValue(length);
                var options = needle with
                {
                    Patterns = chosen ?? needle.Patterns,
                    Task = needle.Task with { MaxLength = maxLength, MinLength = maxLength / 2, MinDistance = Math.Min(needle.Task.MinDistance, maxLength / 4) },
                    Steps = parse.GetValue(steps),
                    Seeds = seedList,
                    TrainExamples = parse.GetValue(trainExamples) ?? needle.TrainExamples,
                    Layers = parse.GetValue(layers),
                    HiddenSize = parse.GetValue(hidden),
                    Sublayers = parse.GetValue(sublayers),
                    SparsityTarget = parse.GetValue(targetSparsity) is double rho ? new SparsityLoss { Target = rho } : null,
                };
                options.Validate();
                error.WriteLine($"sieve demo: the needle task, {options.Patterns.Count} patterns × {options.Seeds.Count} seeds, {options.Steps} steps each; report in {folder}");
                runs = TrainingDisplay.RunMany(error, (progress, stop) => DemoRunner.Run(options, folder, progress, stop));
                setup = DemoReportSetup.ForNeedle(options);
                chance = $"{F(100.0 / options.Task.Classes, "0")} %";
            }
            else
            {
                var options = sst2 with
                {
                    ModelDirectory = ModelOption.Resolve(parse, model)!,
                    ModelName = parse.GetValue(model)!,
                    Patterns = chosen ?? sst2.Patterns,
                    Seeds = seedList,
                    TrainExamples = parse.GetValue(trainExamples) ?? sst2.TrainExamples,
                    DevExamples = parse.GetValue(devExamples),
                    Epochs = parse.GetValue(epochs),
                    TargetSparsity = parse.GetValue(targetSparsity),
                };
                options.Validate();
                error.WriteLine($"sieve demo: {options.ModelName} fine-tuned on {options.TrainExamples} SST-2 sentences, {options.Patterns.Count} patterns × {options.Seeds.Count} seeds; report in {folder}");
                var (trained, matched) = TrainingDisplay.RunMany(error, (progress, stop) => FineTuneDemoRunner.Run(options, folder, progress, stop));
                runs = trained;
                setup = DemoReportSetup.ForSst2(options, matched, DemoReport.Summarise(runs));
                chance = "50 %";
            }
            clock.Stop();
            DemoReport.Write(folder, setup, runs, clock.Elapsed);

            var writer = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                writer.WriteLine(JsonSerializer.Serialize(new { report = folder, runs }, CommandRunner.Json));
                return 0;
            }
            var table = new Table().AddColumns("pattern", "ρ (Eq. 9)", "accuracy", "min–max", "train time", setup.MemoryHeading);
            foreach (var row in DemoReport.Summarise(runs))
            {
                table.AddRow(Markup.Escape(row.Pattern), F(row.Sparsity, "0.000"), F(100 * row.Accuracy, "0.0") + " %",
                    $"{F(100 * row.MinAccuracy, "0.0")}–{F(100 * row.MaxAccuracy, "0.0")} %", F(row.TrainingSeconds, "0.0") + " s",
                    row.PeakBytes is long b ? F(b / 1048576.0, "0") + " MiB" : "n/a");
            }
            CommandRunner.PlainConsole(writer).Write(table);
            writer.WriteLine($"chance is {chance}. Report, pictures and plot: {Path.Combine(folder, DemoReport.MarkdownFile)} ({F(clock.Elapsed.TotalMinutes, "0.0")} min)");
            return 0;
        }));
        return command;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
