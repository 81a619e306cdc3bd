// `sieve extend`: give a pre-trained BERT more positions than it was trained with, for inputs past 512 tokens, with
// Longformer's copy initialisation (Beltagy et al. 2020, §5) — the learned table repeated over the longer one.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Training;

namespace Sieve.Cli;

/// <summary>Builds the <c>extend</c> command.</summary>
internal static class ExtendCommand
{
    public static Command Build()
    {
        var model = ModelOption.Create("The model to extend", required: true);
        var positions = new Option<int>("--max-positions")
        {
            Description = "The new number of positions (max_position_embeddings), larger than the model's, e.g. 4096. A multiple of the old count gives whole copies; otherwise the last copy is cut short.",
            Required = true,
        };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The new model folder to write (must not exist, or be empty).", Required = true };
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("extend",
            "Extend a model's learned position table for longer inputs, as Longformer does (Beltagy et al. 2020, §5, \"Longformer: The Long-Document " +
            "Transformer\"): the learned rows are copied over and over into the longer table instead of starting new positions at random, so attention " +
            "keeps the local structure it learned at every position. Only the table (and a position_ids buffer) change; config.json gets the new " +
            "max_position_embeddings, every other weight, vocab.txt and tokenizer_config.json are kept. Continued pre-training (sieve pretrain) " +
            "or fine-tuning on long inputs lets the model adapt, as in the paper; finetune and pretrain also take --max-positions to do this in memory.")
        {
            model, positions, output, format,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "extend", () =>
        {
            var error = parse.InvocationConfiguration.Error;
            var result = PositionExtension.Extend(ModelOption.Resolve(parse, model)!, parse.GetValue(output)!.FullName, parse.GetValue(positions),
                new SyncProgress<string>(line => error.WriteLine($"  {line}")));
            var writer = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json) writer.WriteLine(JsonSerializer.Serialize(result, CommandRunner.Json));
            else writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Directory}: {result.StoredPositions} → {result.MaxPositions} positions ({result.Copies:0.##} copies of the learned table), {result.Tensors} tensors written"));
            return 0;
        }));
        return command;
    }
}
