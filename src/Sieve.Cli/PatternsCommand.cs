// `sieve patterns`: look at a pattern spec before training with it — its mask as text (show), several masks side by
// side as a PNG like AAA Figure 1 (render), and its exact size and sparsity, AAA Eq. 9, per length (stats).
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Patterns;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Builds the <c>patterns</c> command and its sub-commands.</summary>
internal static class PatternsCommand
{
    public static Command Build()
    {
        var command = new Command("patterns", "Show, draw and measure attention patterns given as spec strings, e.g. 'local(2)+global(1)'.");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Render());
        command.Subcommands.Add(Stats());
        return command;
    }

    private static Argument<string> SpecArgument() => new("spec") { Description = "The pattern spec, e.g. 'local(2)+global(2)'. Quote it in the shell." };

    private static Option<int> SeedOption() => new("--seed") { Description = "The seed of random patterns.", DefaultValueFactory = _ => 0 };

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1.");
        });
        return option;
    }

    private static Command Show()
    {
        var spec = SpecArgument();
        var n = Positive(new Option<int>("--n") { Description = "The sequence length N (at most 512 for text).", DefaultValueFactory = _ => 16 });
        var seed = SeedOption();
        var command = new Command("show", "Print the mask of a pattern at one length as a character grid, with its nnz and sparsity.") { spec, n, seed };
        command.SetAction(parse => CommandRunner.Run(parse, "patterns", () =>
        {
            var pattern = PatternSpec.Parse(parse.GetValue(spec)!);
            var layout = CsrLayout.Build(pattern, new PatternContext(parse.GetValue(n)) { Seed = (ulong)parse.GetValue(seed) });
            var output = parse.InvocationConfiguration.Output;
            output.Write(MaskText.Render(layout));
            var stats = PatternStats.Of(layout);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pattern}  N={stats.Length}  nnz={stats.Nnz}  sparsity={stats.Sparsity:0.####}  row degree {stats.MinRowDegree}..{stats.MaxRowDegree}"));
            return 0;
        }));
        return command;
    }

    private static Command Render()
    {
        var specs = new Argument<string[]>("spec") { Description = "One or more pattern specs, drawn left to right.", Arity = ArgumentArity.OneOrMore };
        var n = Positive(new Option<int>("--n") { Description = "The sequence length N.", DefaultValueFactory = _ => 32 });
        var output = new Option<FileInfo>("--output", "-o") { Description = "The PNG file to write.", Required = true };
        var blockSize = new Option<int?>("--block-size") { Description = "Draw a grid every b cells (the tiles of a block-sparse kernel)." };
        blockSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1) result.AddError("--block-size must be at least 1.");
        });
        var seed = SeedOption();
        var command = new Command("render", "Draw the masks of one or more patterns side by side as a PNG, each titled with its spec.")
        {
            specs, n, output, blockSize, seed,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "patterns", () =>
        {
            var context = new PatternContext(parse.GetValue(n)) { Seed = (ulong)parse.GetValue(seed) };
            var panels = parse.GetValue(specs)!
                .Select(PatternSpec.Parse)
                .Select(pattern => new MaskPanel(pattern.ToString(), CsrLayout.Build(pattern, context)))
                .ToArray();
            var file = parse.GetValue(output)!;
            MaskPicture.SavePng(file.FullName, panels, new MaskPictureOptions { BlockSize = parse.GetValue(blockSize) });
            parse.InvocationConfiguration.Output.WriteLine($"wrote {file.FullName} ({panels.Length} masks, N={context.Length})");
            return 0;
        }));
        return command;
    }

    private static Command Stats()
    {
        var spec = SpecArgument();
        var lengths = new Option<int[]>("--n")
        {
            Description = "A sequence length N; repeat for several (--n 40 --n 128).",
            DefaultValueFactory = _ => [128],
            Arity = ArgumentArity.OneOrMore,
        };
        lengths.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int[]>()?.Any(length => length < 1) == true) result.AddError("every --n must be at least 1.");
        });
        var layers = Positive(new Option<int>("--layers") { Description = "Layers to average over (Eq. 9); schedules and random patterns differ per layer.", DefaultValueFactory = _ => 1 });
        var heads = Positive(new Option<int>("--heads") { Description = "Heads per layer to average over (Eq. 9).", DefaultValueFactory = _ => 1 });
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var seed = SeedOption();
        var command = new Command("stats", "Count the allowed entries of a pattern and its sparsity (AAA Eq. 9, mean over layers and heads) per length.")
        {
            spec, lengths, layers, heads, format, seed,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "patterns", () =>
        {
            var pattern = PatternSpec.Parse(parse.GetValue(spec)!);
            int layerCount = parse.GetValue(layers), headCount = parse.GetValue(heads);
            var rows = parse.GetValue(lengths)!
                .Select(length => Measure(pattern, new PatternContext(length) { Seed = (ulong)parse.GetValue(seed) }, layerCount, headCount))
                .ToArray();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(rows, CommandRunner.Json));
                return 0;
            }
            var table = new Table().AddColumns("spec", "N", "maps", "nnz", "sparsity (Eq. 9)", "row degree", "empty rows");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Spec), Text(row.N), Text(row.Layers * row.Heads), Text(row.Nnz), Text(row.Sparsity, "0.0000"),
                    $"{Text(row.MinRowDegree)}..{Text(row.MaxRowDegree)}", Text(row.EmptyRows));
            }
            CommandRunner.PlainConsole(output).Write(table);
            return 0;
        }));
        return command;
    }

    // One length: build every (layer, head) map; nnz is the mean per map, so sparsity = 1 − nnz/N² holds for the row.
    private static StatsRow Measure(Pattern pattern, PatternContext context, int layers, int heads)
    {
        var layouts = PatternLayouts.BuildAll(pattern, context, layers, heads);
        var stats = layouts.Select(PatternStats.Of).ToArray();
        var accumulator = new SparsityAccumulator();
        foreach (var layout in layouts) accumulator.Add(layout);
        return new StatsRow(pattern.ToString(), context.Length, layers, heads, accumulator.TotalNnz / (double)layouts.Length,
            accumulator.TotalNnz, accumulator.Sparsity, stats.Min(s => s.MinRowDegree), stats.Max(s => s.MaxRowDegree), stats.Sum(s => s.EmptyRows));
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>One length of <c>sieve patterns stats</c>; the JSON field names are its camel-cased properties.</summary>
    internal sealed record StatsRow(string Spec, int N, int Layers, int Heads, double Nnz, long TotalNnz, double Sparsity,
        int MinRowDegree, int MaxRowDegree, int EmptyRows);
}
