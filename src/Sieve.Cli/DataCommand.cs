// `sieve data`: look at a task's data before training on it (inspect: examples, labels, length percentiles, skipped
// rows, METHODS.md §15–16), generate LRA ListOps files (listops, §15.1) and long documents (longdoc), and convert an
// aclImdb folder to LRA Text's files (imdb).
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Data;
using Sieve.Data.ListOps;
using Sieve.Tokenization;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Builds the <c>data</c> command and its sub-commands.</summary>
internal static class DataCommand
{
    public static Command Build()
    {
        var command = new Command("data", "Inspect task data (GLUE, LRA ListOps, byte-level text); generate ListOps and long-document files; convert IMDB reviews (LRA Text).");
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(ListOps());
        command.Subcommands.Add(LongDocCommand.Build());
        command.Subcommands.Add(ImdbCommand.Build());
        return command;
    }

    private static Command Inspect()
    {
        var task = new Option<string>("--task")
        {
            Description = $"The task: {string.Join(", ", TaskDefinition.Names)}.",
            Required = true,
        };
        var data = new Option<DirectoryInfo>("--data") { Description = "The folder holding the task's files (e.g. glue/RTE).", Required = true };
        var vocab = new Option<FileInfo?>("--vocab")
        {
            Description = "A WordPiece vocab.txt (bert-base-uncased) for GLUE lengths in wordpieces with [CLS]/[SEP]; without it lengths are whitespace words.",
        };
        var skip = new Option<bool>("--skip-malformed") { Description = "Leave malformed rows out and list them, instead of stopping at the first." };
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("inspect", "Per split: examples, label distribution, token-length percentiles (to pick --max-length) and skipped rows.")
        {
            task, data, vocab, skip, format,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "data", () =>
        {
            var definition = TaskDefinition.Parse(parse.GetValue(task)!);
            var (unit, length) = DatasetInspector.OwnTokenization(definition) ?? GlueLength(parse.GetValue(vocab));
            var policy = parse.GetValue(skip) ? MalformedRowPolicy.Skip : MalformedRowPolicy.Error;
            var reports = DatasetInspector.Inspect(definition, parse.GetValue(data)!.FullName, unit, length, policy);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(reports.Select(r => new InspectRow(r, definition.Name)), CommandRunner.Json));
                return 0;
            }
            var console = CommandRunner.PlainConsole(output);
            var table = new Table().AddColumns("split", "examples", "labels", $"{unit}: min", "p50", "p90", "p95", "p99", "max", "skipped");
            foreach (var r in reports)
            {
                var lengths = r.Lengths;
                table.AddRow(r.Split, Text(r.Examples), Markup.Escape(string.Join("  ", r.Labels.Select(l => $"{l.Key}: {Text(l.Value)}"))),
                    Text(lengths?.Min), Text(lengths?.P50), Text(lengths?.P90), Text(lengths?.P95), Text(lengths?.P99), Text(lengths?.Max), Text(r.Skipped.Count));
            }
            console.Write(table);
            foreach (var row in reports.SelectMany(r => r.Skipped))
                output.WriteLine($"skipped {row.FilePath}:{row.Line}: {row.Reason}");
            return 0;
        }));
        return command;
    }

    private static Command ListOps()
    {
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write basic_train.tsv, basic_val.tsv, basic_test.tsv into.", Required = true };
        var defaults = new ListOpsOptions();
        var train = new Option<int>("--train") { Description = "Training examples (LRA: 96000).", DefaultValueFactory = _ => defaults.TrainCount };
        var val = new Option<int>("--val") { Description = "Validation examples (LRA: 2000).", DefaultValueFactory = _ => defaults.ValidationCount };
        var test = new Option<int>("--test") { Description = "Test examples (LRA: 2000).", DefaultValueFactory = _ => defaults.TestCount };
        var minLength = new Option<int>("--min-length") { Description = "Keep expressions longer than this, in tokens without parentheses (LRA: 500).", DefaultValueFactory = _ => defaults.MinLength };
        var maxLength = new Option<int>("--max-length") { Description = "Keep expressions shorter than this (LRA: 2000).", DefaultValueFactory = _ => defaults.MaxLength };
        var maxDepth = new Option<int>("--max-depth") { Description = "Deepest nesting (LRA: 10).", DefaultValueFactory = _ => defaults.MaxDepth };
        var maxArgs = new Option<int>("--max-args") { Description = "Most arguments per operator (LRA: 10).", DefaultValueFactory = _ => defaults.MaxArguments };
        var seed = new Option<int>("--seed") { Description = "The seed; the same seed gives the same files.", DefaultValueFactory = _ => 0 };
        var command = new Command("listops", "Generate LRA ListOps data (Source\\tTarget TSV files) with LRA's generator and bounds.")
        {
            output, train, val, test, minLength, maxLength, maxDepth, maxArgs, seed,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "data", () =>
        {
            var options = new ListOpsOptions
            {
                TrainCount = parse.GetValue(train),
                ValidationCount = parse.GetValue(val),
                TestCount = parse.GetValue(test),
                MinLength = parse.GetValue(minLength),
                MaxLength = parse.GetValue(maxLength),
                MaxDepth = parse.GetValue(maxDepth),
                MaxArguments = parse.GetValue(maxArgs),
                Seed = parse.GetValue(seed),
            };
            var paths = ListOpsGenerator.WriteLra(ListOpsGenerator.Generate(options), parse.GetValue(output)!.FullName);
            foreach (var path in paths) parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }

    // GLUE lengths: wordpieces as BERT sees them ([CLS] a [SEP] (b [SEP])) when a vocab is given, else whitespace words.
    private static (string Unit, Func<string, string?, int> Length) GlueLength(FileInfo? vocab)
    {
        if (vocab is null)
            return ("words", (a, b) => Words(a) + (b is null ? 0 : Words(b)));
        if (!vocab.Exists) throw new FileNotFoundException($"no vocab file at {vocab.FullName}; give a WordPiece vocab.txt.", vocab.FullName);
        // Untruncated, so the percentiles show what a --max-length would cut.
        var tokenizer = SieveTokenizer.Create(vocab.FullName);
        return ("wordpieces", (a, b) => tokenizer.Encode(a, b, EncodeOptions.Untruncated).RealLength);
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>One split in the JSON of <c>sieve data inspect</c>; field names are the camel-cased properties.</summary>
    internal sealed record InspectRow(string Task, string Split, string File, int Examples, IReadOnlyDictionary<string, int> Labels,
        LengthSummary? Lengths, int SkippedCount, IReadOnlyList<SkippedRow> Skipped)
    {
        public InspectRow(SplitReport report, string task)
            : this(task, report.Split, report.FilePath, report.Examples, report.Labels.ToDictionary(l => l.Key, l => l.Value),
                report.Lengths, report.Skipped.Count, report.Skipped)
        {
        }
    }
}
