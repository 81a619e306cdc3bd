// `sieve import onnx`: convert a BERT-family ONNX export (torch.onnx / optimum, fp32) and its vocab.txt into an HF
// model folder that every other command loads.
using System.CommandLine;
using Sieve.Onnx;
using Sieve.Training;

namespace Sieve.Cli;

/// <summary>Builds the <c>import</c> command.</summary>
internal static class ImportCommand
{
    public static Command Build()
    {
        var command = new Command("import", "Convert a model from another format into an HF model folder.");
        command.Subcommands.Add(Onnx());
        return command;
    }

    private static Command Onnx()
    {
        var file = new Argument<FileInfo>("MODEL.onnx") { Description = "The ONNX export of a BERT encoder (fp32, plain ONNX operators; external data beside it is read)." };
        var vocab = new Option<FileInfo>("--vocab") { Description = "The model's WordPiece vocab.txt.", Required = true };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The new model folder to write (must not exist, or be empty).", Required = true };
        var casing = new Option<string>("--case")
        {
            Description = "auto: lower-case when the vocabulary has no upper-case entries (uncased vocab); lower; or keep (a cased model).",
            DefaultValueFactory = _ => "auto",
        };
        casing.AcceptOnlyFromAmong("auto", "lower", "keep");
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("onnx", "Read the config off the ONNX graph (layers, hidden, heads, intermediate, eps, activation, sizes) and write config.json, model.safetensors (HF key names), vocab.txt and tokenizer_config.json.")
        {
            file, vocab, output, casing, format,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "import", () =>
        {
            var error = parse.InvocationConfiguration.Error;
            bool? lowerCase = parse.GetValue(casing) switch { "lower" => true, "keep" => false, _ => null };
            var target = parse.GetValue(output)!.FullName;
            var imported = OnnxImport.Run(parse.GetValue(file)!.FullName, parse.GetValue(vocab)!.FullName, target, lowerCase,
                new SyncProgress<string>(line => error.WriteLine($"  {line}")));
            ImportSummary.Of(target, imported).Write(parse.InvocationConfiguration.Output, parse.GetValue(format));
            return 0;
        }));
        return command;
    }
}
