// `sieve patterns`: look at a pattern spec before training with it — its mask as text (show), several masks side by
// side as a PNG like AAA Figure 1 (render), and its exact size and sparsity, AAA Eq. 9, per length (stats); and, after
// training, the mask a model really uses on a text at one layer and head (show --model), learned patterns included.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Tokenization;
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

    // The patterns commands draw and count layouts: they take the one spec grammar's fixed patterns and refuse the rest.
    private static Pattern PatternOf(string command, string text) =>
        AttentionSpec.Parse(text).RequirePattern(command,
            "give a fixed pattern; to see what a model attends with, learned patterns included, use `sieve patterns show --model DIR --text \"…\" --layer L`");

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

    /// <summary>
    /// The longest length <c>stats</c> measures: 1,048,576, past any attention length in the papers (16 K), yet every
    /// layout of it is built entry by entry, so a longer one only runs for minutes before it runs out of memory.
    /// </summary>
    internal const int MaxStatsLength = 1 << 20;

    /// <summary>The most maps (layers × heads) <c>stats</c> averages: 4,096, ten times bert-large's 24 × 16.</summary>
    internal const int MaxStatsMaps = 4096;

    private static Option<int> AtMost(Option<int> option, int max, string why)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() > max) result.AddError($"{option.Name} must be at most {max}: {why}.");
        });
        return option;
    }

    private static Command Show()
    {
        var spec = new Argument<string?>("spec") { Description = "The pattern spec, e.g. 'local(2)+global(2)'. Quote it in the shell. Leave it out with --model.", Arity = ArgumentArity.ZeroOrOne };
        var n = AtMost(Positive(new Option<int>("--n") { Description = $"The sequence length N of a SPEC (at most {MaskText.MaxLength} for text, {MaskPicture.MaxSide} with --png).", DefaultValueFactory = _ => 16 }),
            MaskPicture.MaxSide, "a picture has at least one pixel per position");
        var seed = SeedOption();
        var model = ModelOption.Create("Draw the mask this model attends with on --text (fixed, learned or dense) instead of a SPEC", required: false);
        var text = new Option<string?>("--text") { Description = "With --model: the text to run the model on." };
        var pair = new Option<string?>("--text-pair") { Description = "With --model: a second text, encoded as a pair ([SEP] between, segment 1)." };
        var layer = NonNegative(new Option<int?>("--layer") { Description = "The layer (0-based); required with --model, default 0 for a SPEC." });
        var head = NonNegative(new Option<int?>("--head") { Description = "The head (0-based), default 0." });
        var png = new Option<FileInfo?>("--png") { Description = "Draw the mask into this PNG file instead of printing the grid." };
        var command = new Command("show", "Print the mask of a pattern at one length, or the mask a model uses on a text at one layer and head, as a character grid with its nnz and sparsity.")
        {
            spec, n, seed, model, text, pair, layer, head, png,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "patterns", () =>
        {
            var output = parse.InvocationConfiguration.Output;
            int headIndex = parse.GetValue(head) ?? 0;
            if (ModelOption.Resolve(parse, model) is not { } directory)
            {
                if (parse.GetValue(text) is not null || parse.GetValue(pair) is not null)
                    throw new ArgumentException("--text and --text-pair need --model: they are the input a model's mask is drawn for.");
                var pattern = PatternOf("patterns show", parse.GetValue(spec) ?? throw new ArgumentException("give a pattern SPEC (e.g. 'local(2)+global(1)'), or --model DIR --text \"…\" --layer L to see the mask a model uses."));
                if (parse.GetValue(png) is null && parse.GetValue(n) > MaskText.MaxLength)
                    throw new ArgumentException($"--n {parse.GetValue(n)} is too long for a character grid (at most {MaskText.MaxLength}); draw it with --png instead.");
                var context = new PatternContext(parse.GetValue(n)) { Seed = (ulong)parse.GetValue(seed), Layer = parse.GetValue(layer) ?? 0, Head = headIndex };
                WriteMask(output, pattern.ToString(), CsrLayout.Build(pattern, context), parse.GetValue(png));
                return 0;
            }
            if (parse.GetValue(spec) is { } given)
                throw new ArgumentException($"give either a pattern SPEC or --model, not both: '{given}' would draw the spec, --model the mask the model uses on --text.");
            if (parse.GetResult(n) is { Implicit: false })
                throw new ArgumentException("--n does not apply with --model: the length is the number of tokens of --text.");
            var input = parse.GetValue(text) ?? throw new ArgumentException("--model needs --text: the mask is drawn for the tokens of that input.");
            int layerIndex = parse.GetValue(layer) ?? throw new ArgumentException("--model needs --layer L (0-based): each layer may attend differently.");
            var shown = ModelMask(directory, input, parse.GetValue(pair), layerIndex, headIndex);
            var mask = shown.Mask;
            string title = mask.Dense ? "dense (HF)" : mask.Pattern;
            WriteMask(output, $"{Shorten(title)} · layer {layerIndex} head {headIndex}", mask.Layout, parse.GetValue(png));
            if (mask.Dense) output.WriteLine("this model has no pattern: it attends densely, every token to every token.");
            if (Shorten(title) != title) output.WriteLine($"pattern in full (a fixed spec: `sieve bench attention --pattern` times it): {title}");
            WriteTokens(output, "tokens", Enumerable.Range(0, shown.Tokens.Count), shown.Tokens);
            if (mask.Selected is { } selected)
            {
                WriteTokens(output, $"layer {layerIndex} selected rows", selected.Rows, shown.Tokens);
                WriteTokens(output, $"layer {layerIndex} selected columns", selected.Columns, shown.Tokens);
            }
            return 0;
        }));
        return command;
    }

    private static Option<int?> NonNegative(Option<int?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0) result.AddError($"{option.Name} must be at least 0.");
        });
        return option;
    }

    // The checkpoint's own tokenizer and weights; the mask is that of an evaluation-mode forward on this input alone.
    private static (InputMask Mask, IReadOnlyList<string> Tokens) ModelMask(string directory, string text, string? pair, int layer, int head)
    {
        var config = BertCheckpoint.ReadConfig(directory);
        var vocab = BertCheckpoint.VocabPath(directory)
            ?? throw new InvalidOperationException($"{directory} has no vocab.txt; --text is tokenized with the model's own vocabulary, so copy it there.");
        var tokenizer = SieveTokenizer.Create(vocab, TokenizerOptions.FromCheckpoint(directory));
        var input = tokenizer.Encode(text, pair, new EncodeOptions { MaxLength = Math.Min(MaskText.MaxLength, config.MaxPositionEmbeddings) });
        using var bert = BertCheckpoint.LoadModel(directory, out _);
        return (InputMask.Of(bert, input, layer, head), input.Tokens[..input.RealLength]);
    }

    // The grid (or, with --png, the picture) and one line of counts, as for a spec.
    private static void WriteMask(TextWriter output, string title, CsrLayout layout, FileInfo? png)
    {
        if (png is null)
        {
            output.Write(MaskText.Render(layout));
        }
        else
        {
            MaskPicture.SavePng(png.FullName, [new MaskPanel(title, layout)]);
            output.WriteLine($"wrote {png.FullName} (N={layout.Length})");
        }
        var stats = PatternStats.Of(layout);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{title}  N={stats.Length}  nnz={stats.Nnz}  sparsity={stats.Sparsity:0.####}  row degree {stats.MinRowDegree}..{stats.MaxRowDegree}"));
    }

    // "index token" pairs, wrapped, so that a row or column of the grid can be read as a token.
    private static void WriteTokens(TextWriter output, string label, IEnumerable<int> positions, IReadOnlyList<string> tokens)
    {
        var entries = positions.Select(p => $"{Text(p)} {tokens[p]}").ToArray();
        output.WriteLine(entries.Length == 0 ? $"{label}: none" : $"{label}:");
        var line = new System.Text.StringBuilder();
        foreach (var entry in entries)
        {
            if (line.Length > 0 && line.Length + entry.Length > 100)
            {
                output.WriteLine(line.ToString().TrimEnd());
                line.Clear();
            }
            line.Append("  ").Append(entry);
        }
        if (line.Length > 0) output.WriteLine(line.ToString().TrimEnd());
    }

    // A hardened aaa pattern lists every selected position; a picture's title keeps its start.
    private static string Shorten(string spec) => spec.Length <= 80 ? spec : spec[..77] + "...";

    private static Command Render()
    {
        var specs = new Argument<string[]>("spec") { Description = "One or more pattern specs, drawn left to right.", Arity = ArgumentArity.OneOrMore };
        var n = AtMost(Positive(new Option<int>("--n") { Description = $"The sequence length N (at most {MaskPicture.MaxSide}).", DefaultValueFactory = _ => 32 }),
            MaskPicture.MaxSide, "a picture has at least one pixel per position");
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
                .Select(text => PatternOf("patterns render", text))
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
            if (result.GetValueOrDefault<int[]>()?.Any(length => length > MaxStatsLength) == true)
                result.AddError($"every --n must be at most {MaxStatsLength}: each layout is built entry by entry.");
        });
        var layers = Positive(new Option<int>("--layers") { Description = "Layers to average over (Eq. 9); schedules and random patterns differ per layer.", DefaultValueFactory = _ => 1 });
        var heads = Positive(new Option<int>("--heads") { Description = "Heads per layer to average over (Eq. 9).", DefaultValueFactory = _ => 1 });
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var seed = SeedOption();
        var command = new Command("stats", "Count the allowed entries of a pattern and its sparsity (AAA Eq. 9, mean over layers and heads) per length.")
        {
            spec, lengths, layers, heads, format, seed,
        };
        // Every (layer, head) map is built and kept: the count, not each factor, is what must stay reasonable.
        command.Validators.Add(result =>
        {
            long maps = (long)result.GetValue(layers) * result.GetValue(heads);
            if (maps > MaxStatsMaps) result.AddError($"--layers × --heads is {maps} maps, more than the {MaxStatsMaps} stats builds; average over fewer.");
        });
        command.SetAction(parse => CommandRunner.Run(parse, "patterns", () =>
        {
            var pattern = PatternOf("patterns stats", parse.GetValue(spec)!);
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
