// `sieve data imdb`: an unpacked aclImdb folder (LRA Text's reviews) as the `text` task's train.tsv and dev.tsv,
// optionally a balanced random subset of each split (a full split is 25,000 reviews of about 300 wordpieces each).
using System.CommandLine;
using System.Globalization;
using Sieve.Data;

namespace Sieve.Cli;

/// <summary>Builds <c>sieve data imdb</c>.</summary>
internal static class ImdbCommand
{
    public static Command Build()
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "The unpacked aclImdb folder (train/pos, train/neg, test/pos, test/neg).", Required = true };
        var train = new Option<int?>("--train") { Description = "Training reviews, half of each label, drawn from train/ (default: all 25,000)." };
        var dev = new Option<int?>("--dev") { Description = "Dev reviews, half of each label, drawn from test/ as LRA evaluates on it (default: all 25,000)." };
        var stripBreaks = new Option<bool>("--strip-breaks") { Description = "Replace the reviews' HTML line breaks (<br />) by spaces; LRA keeps them." };
        var seed = new Option<int>("--seed") { Description = "The seed of the draw and the order; the same seed and folder give the same files.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The folder to write train.tsv, dev.tsv (fine-tune with --task text) and imdb.json into.", Required = true };
        var command = new Command("imdb", "Write the IMDB reviews of LRA Text (an aclImdb folder) as text-task files: text<TAB>label, 0 negative, 1 positive.")
        {
            input, train, dev, stripBreaks, seed, output,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "data", () =>
        {
            string root = parse.GetValue(input)!.FullName;
            bool strip = parse.GetValue(stripBreaks);
            var random = new Random(parse.GetValue(seed));
            var error = parse.InvocationConfiguration.Error;
            IReadOnlyList<ImdbReview> Split(string folder, string name, int? count)
            {
                var all = ImdbReviews.Read(root, folder, strip);
                error.WriteLine($"  read {all.Count} reviews from {folder}/");
                return ImdbReviews.Sample(all, count, random, name);
            }
            var trainReviews = Split("train", "train", parse.GetValue(train));
            var devReviews = Split("test", "dev", parse.GetValue(dev));
            var manifest = new ImdbManifest(root, parse.GetValue(seed), strip,
                new Dictionary<string, IReadOnlyDictionary<string, int>>
                {
                    ["train (from train/)"] = ImdbReviews.CountLabels(trainReviews),
                    ["dev (from test/)"] = ImdbReviews.CountLabels(devReviews),
                },
                ImdbReviews.Licence);
            var paths = ImdbReviews.Write(parse.GetValue(output)!.FullName, trainReviews, devReviews, manifest);
            var console = parse.InvocationConfiguration.Output;
            foreach (var (split, labels) in manifest.Labels)
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{split}: {labels.Values.Sum()} reviews, labels {string.Join(" ", labels.Select(l => $"{l.Key}:{l.Value}"))}"));
            foreach (var path in paths) console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
