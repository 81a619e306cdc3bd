// `sieve data longdoc`: the long-document task (LongDocumentGenerator) from a GLUE SST-2 folder (the needles) and a
// folder of neutral prose (RTE by default, the filler), counted in the wordpieces of the model that will read it.
using System.CommandLine;
using System.Globalization;
using Sieve.Data;
using Sieve.Tokenization;

namespace Sieve.Cli;

/// <summary>Builds <c>sieve data longdoc</c>.</summary>
internal static class LongDocCommand
{
    public static Command Build()
    {
        var defaults = new LongDocumentOptions();
        var needles = new Option<DirectoryInfo>("--needles") { Description = "A GLUE SST-2 folder (train.tsv, dev.tsv): the labelled sentences, one per document.", Required = true };
        var filler = new Option<DirectoryInfo>("--filler") { Description = "A GLUE folder of neutral prose (train.tsv, dev.tsv) to fill the documents with; both texts of a pair are used.", Required = true };
        var fillerTask = new Option<string>("--filler-task") { Description = "The task whose layout --filler has (default rte).", DefaultValueFactory = _ => "rte" };
        var model = ModelOption.Create("The model whose tokenizer counts the tokens (default minilm)", required: false);
        model.DefaultValueFactory = _ => Sieve.Models.BuiltInModels.Default.Name;
        var tokens = new Option<int>("--tokens") { Description = "Wordpieces of a document with [CLS] and [SEP], at most (default 2048).", DefaultValueFactory = _ => defaults.Tokens };
        var minOffset = new Option<int>("--min-offset") { Description = "The needle starts at this token or later (default 512: past what a 512-token model reads).", DefaultValueFactory = _ => defaults.MinOffset };
        var train = new Option<int>("--train") { Description = "Training documents (default 2000), from the needles' and the filler's train.tsv.", DefaultValueFactory = _ => defaults.TrainCount };
        var dev = new Option<int>("--dev") { Description = "Dev documents (default 500), from their dev.tsv.", DefaultValueFactory = _ => defaults.DevCount };
        var minWords = new Option<int>("--min-needle-words") { Description = "Leave out needle sentences shorter than this (default 6).", DefaultValueFactory = _ => defaults.MinNeedleWords };
        var seed = new Option<int>("--seed") { Description = "The seed; the same seed and sources give the same files.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write train.tsv, dev.tsv (SST-2's format: fine-tune with --task sst2) and longdoc.json into.", Required = true };
        var command = new Command("longdoc", "Generate a long-document task from real sentences: each document is neutral filler with one SST-2 sentence placed past --min-offset, and takes that sentence's label.")
        {
            needles, filler, fillerTask, model, tokens, minOffset, train, dev, minWords, seed, output,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "data", () =>
        {
            var options = new LongDocumentOptions
            {
                Tokens = parse.GetValue(tokens),
                MinOffset = parse.GetValue(minOffset),
                TrainCount = parse.GetValue(train),
                DevCount = parse.GetValue(dev),
                MinNeedleWords = parse.GetValue(minWords),
                Seed = parse.GetValue(seed),
            };
            options.Validate();
            string needleFolder = parse.GetValue(needles)!.FullName, fillerFolder = parse.GetValue(filler)!.FullName;
            var fillerDefinition = TaskDefinition.Parse(parse.GetValue(fillerTask)!);
            var needleSplits = Labelled(TaskDefinition.Parse("sst2"), needleFolder);
            var fillerSplits = Labelled(fillerDefinition, fillerFolder);
            string modelFolder = ModelOption.Resolve(parse, model)!;
            var tokenizer = SieveTokenizer.FromCheckpoint(modelFolder);
            int Wordpieces(string text) => tokenizer.Encode(text, null, EncodeOptions.Untruncated).RealLength - 2;   // without [CLS] and [SEP]

            var random = new Random(options.Seed);
            var documents = new Dictionary<DataSplit, IReadOnlyList<LongDocument>>();
            foreach (var (split, count) in new[] { (DataSplit.Train, options.TrainCount), (DataSplit.Dev, options.DevCount) })
            {
                var fillerTexts = fillerSplits[split].SelectMany(e => e.TextPair is null ? new[] { e.Text } : [e.Text, e.TextPair]).ToArray();
                documents[split] = LongDocumentGenerator.Generate(needleSplits[split], fillerTexts, count, Wordpieces, options, random);
                parse.InvocationConfiguration.Error.WriteLine($"  {count} {split.ToString().ToLowerInvariant()} documents");
            }
            var manifest = new LongDocumentManifest("long-document needle (sentiment of the one SST-2 sentence)", needleFolder,
                $"{fillerFolder} ({fillerDefinition.Name})", modelFolder, options,
                [LongDocumentGenerator.Summarize("train", documents[DataSplit.Train]), LongDocumentGenerator.Summarize("dev", documents[DataSplit.Dev])],
                "Derived from the GLUE files given; their licences apply (SST-2: Socher et al. 2013; RTE: the RTE challenges' terms).");
            var paths = LongDocumentGenerator.Write(parse.GetValue(output)!.FullName, documents[DataSplit.Train], documents[DataSplit.Dev], manifest);
            var console = parse.InvocationConfiguration.Output;
            foreach (var summary in manifest.Splits)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{summary.Split}: {summary.Documents} documents, labels {string.Join(" ", summary.Labels.Select(l => $"{l.Key}:{l.Value}"))}, " +
                    $"needle at token {summary.NeedleTokenMin}–{summary.NeedleTokenMax} (median {summary.NeedleTokenMedian}), {summary.TokensMin}–{summary.TokensMax} tokens"));
            }
            foreach (var path in paths) console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }

    // The labelled train and dev examples of a GLUE folder: the generator needs both splits.
    private static Dictionary<DataSplit, IReadOnlyList<Example>> Labelled(TaskDefinition task, string folder)
    {
        var splits = TaskFileReader.ReadTask(task, folder).Where(s => s.IsLabelled).ToDictionary(s => s.Split, s => s.Examples);
        foreach (var split in new[] { DataSplit.Train, DataSplit.Dev })
        {
            if (!splits.ContainsKey(split))
                throw new FileNotFoundException($"{folder} has no labelled {split.ToString().ToLowerInvariant()}.tsv for the {task.Name} layout; the long-document task needs train and dev files.");
        }
        return splits;
    }
}
