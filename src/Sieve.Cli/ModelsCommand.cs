// `sieve models`: the pre-trained encoders built into Sieve (list) and a copy of one as an HF folder (export).
using System.CommandLine;
using System.Text.Json;
using Sieve.Models;
using Sieve.Training;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Builds the <c>models</c> command.</summary>
internal static class ModelsCommand
{
    public static Command Build()
    {
        var command = new Command("models", $"The built-in pre-trained models ({ModelOption.Names}); any --model takes their names.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command List()
    {
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("list", "The built-in models: name, what they are, licence, documented pooling, and whether they are converted yet.") { format };
        command.SetAction(parse => CommandRunner.Run(parse, "models", () =>
        {
            var rows = BuiltInModels.All.Select(m => new ModelRow(m.Name, m.Upstream, m.Description, m.Licence, m.Pooling,
                File.Exists(Path.Combine(BuiltInModels.CacheFolder(m), "model.safetensors")) ? BuiltInModels.CacheFolder(m) : null)).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(rows, CommandRunner.Json));
                return 0;
            }
            var table = new Table().AddColumns("name", "model", "architecture", "licence", "embedding", "cache");
            foreach (var r in rows)
                table.AddRow(r.Name, r.Upstream, r.Description, r.Licence, r.Pooling, Markup.Escape(r.CacheFolder ?? "not converted yet (first use converts it)"));
            CommandRunner.PlainConsole(output, width: 200).Write(table);
            output.WriteLine($"The first use of a name converts its embedded ONNX export into {Path.Combine(BuiltInModels.CacheRoot, "models")} (set {BuiltInModels.CacheVariable} to move it).");
            return 0;
        }));
        return command;
    }

    private static Command Export()
    {
        var name = new Argument<string>("NAME") { Description = $"A built-in model: {ModelOption.Names}." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The new model folder to write (must not exist, or be empty).", Required = true };
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("export", "Write a built-in model as an HF model folder (config.json, model.safetensors, vocab.txt, tokenizer_config.json).")
        {
            name, output, format,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "models", () =>
        {
            var model = BuiltInModels.Find(parse.GetValue(name)!)
                ?? throw new ArgumentException($"'{parse.GetValue(name)}' is not a built-in model; choose one of {ModelOption.Names}.");
            var error = parse.InvocationConfiguration.Error;
            var target = parse.GetValue(output)!.FullName;
            var imported = BuiltInModels.Export(model, target, new SyncProgress<string>(line => error.WriteLine($"  {line}")));
            ImportSummary.Of(target, imported).Write(parse.InvocationConfiguration.Output, parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}
