// `sieve evaluate`: a saved classifier on a task split — the task's official metrics, the measured sparsity ρ (AAA
// Eq. 9 over the split, real lengths), what a learnable pattern learned (AAA Table 6 shares, learned offsets or
// degrees), and for GLUE test splits the predictions in the submission format.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Tokenization;
using Sieve.Training;

using Sieve.Variants;

namespace Sieve.Cli;

/// <summary>Builds the <c>evaluate</c> command.</summary>
internal static class EvaluateCommand
{
    // finetune's default, so that a model is evaluated at the length it was trained at unless told otherwise.
    private const int DefaultMaxLength = 128;

    public static Command Build()
    {
        var model = ModelOption.Create("The fine-tuned model to evaluate (e.g. the model/ folder of a finetune run)", required: true);
        var task = new Option<string>("--task") { Description = $"The task: {string.Join(", ", TaskDefinition.Names)}.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "The folder with the task's files.", Required = true };
        var split = new Option<DataSplit>("--split") { Description = "Which split: Dev, DevMismatched (MNLI), Test, Train.", DefaultValueFactory = _ => DataSplit.Dev };
        var pattern = new Option<string?>("--pattern") { Description = "Evaluate under another pattern or schedule than the saved one (e.g. to see what sparsity costs without training); variants only as saved, not a learnable pattern." };
        var kernel = new Option<AttentionKernelKind>("--kernel") { Description = "The kernel that computes the pattern.", DefaultValueFactory = _ => AttentionKernelKind.Auto };
        var maxLength = new Option<int?>("--max-length") { Description = "Tokens per example, [CLS] included (default: 128, finetune's, or the model's position count when smaller)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per batch.", DefaultValueFactory = _ => 64 };
        var maxExamples = new Option<int?>("--max-examples") { Description = "Evaluate the first N examples only." };
        var predictions = new Option<DirectoryInfo?>("--predictions") { Description = "Write the predictions of a GLUE test split here, in the submission format." };
        var parses = new Option<FileInfo?>("--parses") { Description = "The CoNLL-U dependency parses of the split's rows, for syntax(k): one sentence per text in row order (two per row for a pair task: text, then text pair)." };
        var unparsed = UnparsedRowsOption.Create();
        var seed = new Option<int>("--seed") { Description = "The seed of random patterns.", DefaultValueFactory = _ => 42 };
        var format = new Option<OutputFormat>("--format") { Description = "table or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("evaluate", "Evaluate a classifier on a task split: official metrics and the measured sparsity ρ of the layouts it ran on.")
        {
            model, task, data, split, pattern, kernel, maxLength, batchSize, maxExamples, predictions, parses, unparsed, seed, format,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "evaluate", () =>
        {
            var definition = TaskDefinition.Parse(parse.GetValue(task)!);
            var directory = ModelOption.Resolve(parse, model)!;
            var error = parse.InvocationConfiguration.Error;
            // The model is checked before any data is read: no head (a bare encoder), or one of the wrong size, has
            // nothing to evaluate. The missing head is named first, since a bare encoder's num_labels is only a default;
            // the load line follows all checks (the data's too), so that a refusal is the one line printed.
            using var classifier = BertCheckpoint.LoadForSequenceClassification(directory, out var loaded);
            RefuseUntrainedHead(loaded, directory, definition);
            RefuseOtherLabelCount(classifier.Config, directory, definition);
            var which = parse.GetValue(split);
            var layout = definition.Layout(which) ?? throw new ArgumentException($"the {definition.Name} task has no {which} split.");
            var dataDirectory = parse.GetValue(data)!.FullName;
            var splitData = TaskFileReader.Read(definition, layout, Path.Combine(dataDirectory, layout.FileName));

            var vocab = BertCheckpoint.VocabPath(directory);
            // As fine-tuning read it: GLUE always in wordpieces, text in wordpieces when the model has a vocabulary.
            var tokenizer = TaskEncoder.ReadsWordPiece(definition, vocab is not null)
                ? SieveTokenizer.Create(vocab ?? throw new InvalidOperationException($"{directory} has no vocab.txt; GLUE tasks are tokenized with the model's vocabulary."), TokenizerOptions.FromCheckpoint(directory))
                : null;
            // The limits finetune checks, checked here too: libtorch would fail on them with a native trace.
            int length = parse.GetValue(maxLength) ?? Math.Min(DefaultMaxLength, classifier.Config.MaxPositionEmbeddings);
            ModelInputLimits.CheckLength(classifier.Config, length);
            var encoder = TaskEncoder.For(definition, tokenizer, length);
            ModelInputLimits.CheckVocabulary(classifier.Config, encoder.VocabularySize);
            var rowParses = parse.GetValue(parses) is { } parseFile ? TaskParses.Read(parseFile.FullName, splitData.FilePath, UnparsedRowsOption.Read(parse, unparsed)) : null;
            var examples = encoder.EncodeAll([.. splitData.Examples.Take(parse.GetValue(maxExamples) ?? int.MaxValue)], rowParses);
            ModelInputLimits.CheckSegments(classifier.Config, examples.Select(e => e.TokenTypeIds));

            // A learnable pattern replaces the whole attention pattern, so another pattern cannot be put in its place.
            if (parse.GetValue(pattern) is { } other && classifier.Bert.LearnedSpec is { } learnedSpec)
                throw new ArgumentException($"{directory} learns its pattern ({learnedSpec}); --pattern {other} cannot replace it. Evaluate a model without a learnable pattern to try another one.");
            string? running = TrainedAttention.Apply(classifier.Bert, parse.GetValue(pattern), "evaluate", parse.GetValue(kernel), (ulong)parse.GetValue(seed));
            FineTuneJob.RequireParses(classifier.Bert.Attention.Pattern, (rowParses, splitData, "--parses"));
            LoadNotice.Write(error, loaded, directory);
            if (rowParses is { Unparsed: > 0 } fallback) error.WriteLine($"parses: {fallback.Unparsed} row(s) of {splitData.FilePath} without a matching parse in {fallback.Path} got no arcs");
            var result = TaskEvaluator.Evaluate(classifier, definition, examples, encoder.PadId, parse.GetValue(batchSize),
                Deciles(error, examples.Length));

            string? written = null;
            if (parse.GetValue(predictions) is { } folder)
            {
                written = definition.IsRegression
                    ? GlueSubmission.Write(definition, splitData, result.Predictions, folder.FullName)
                    : GlueSubmission.Write(definition, splitData, result.Predictions.Select(p => (int)p).ToArray(), folder.FullName);
            }
            var report = new Report(definition.Name, which.ToString(), result.Examples, running,
                result.Metrics.ToDictionary(m => m.Kind.ToString().ToLowerInvariant(), m => m.Value), result.Sparsity,
                double.IsNaN(result.Loss) ? null : result.Loss, written, result.Learned, result.Variants, loaded.NewlyInitialized);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(report, CommandRunner.Json));
                return 0;
            }
            output.WriteLine($"{report.Task} {report.Split}: {report.Examples} examples, pattern {report.Pattern ?? "dense (HF)"}");
            if (report.NewlyInitialized.Count > 0) output.WriteLine($"  untrained, newly initialised (random): {string.Join(", ", report.NewlyInitialized)}");
            foreach (var (name, value) in report.Metrics) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-10} {value:0.0000}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ρ (Eq. 9)  {report.Sparsity:0.0000}"));
            if (result.Learned is { } learned) WriteLearned(output, learned);
            if (result.Variants is { } variants) WriteVariants(output, variants);
            if (written is not null) output.WriteLine($"  predictions written to {written}");
            return 0;
        }));
        return command;
    }

    // config.json's num_labels is the classifier's row count (the loader checks the weight's shape against it).
    private static void RefuseOtherLabelCount(BertConfig config, string directory, TaskDefinition task)
    {
        if (task.ClassCount is not { } classes || config.NumLabels == classes) return;
        throw new ArgumentException($"{directory} is a classifier with {config.NumLabels} label(s) (num_labels in config.json, the rows of classifier.weight) but the {task.Name} task has {classes} class(es); " +
            $"evaluate a model fine-tuned on {task.Name}, or fine-tune this one on it first (sieve finetune --model {directory} --task {task.Name}).");
    }

    // HF initialises a head the checkpoint lacks; its scores would be random, so evaluating them measures nothing.
    private static void RefuseUntrainedHead(CheckpointLoadReport report, string directory, TaskDefinition task)
    {
        var head = report.NewlyInitialized.Where(k => k.StartsWith("classifier.", StringComparison.Ordinal)).ToArray();
        if (head.Length == 0) return;
        throw new CheckpointException($"{directory} has no classifier weights ({string.Join(", ", head)} are not in its checkpoint), so its head would be random and there is nothing to evaluate; " +
            $"fine-tune it on the task first (sieve finetune --model {directory} --task {task.Name}).");
    }

    // One line per layer: AAA's shares (Table 6), or each head's offsets or degrees (a per-position list as its range).
    private static void WriteLearned(TextWriter output, LearnedPatternReport learned)
    {
        output.WriteLine($"  learned {learned.Spec}:");
        foreach (var layer in learned.Layers)
        {
            string what = layer switch
            {
                { RowShare: { } rows, ColumnShare: { } columns, Tokens: { } tokens } =>
                    string.Create(CultureInfo.InvariantCulture, $"rows {rows:0.0000}  columns {columns:0.0000}  (shares of {tokens} tokens)"),
                { Offsets: { } offsets } => string.Join("; ", offsets.Select(o => $"head {o.Head}: offsets {(o.Offsets.Count == 0 ? "none" : string.Join(',', o.Offsets))}")),
                { Degrees: { } degrees } => string.Join("; ", degrees.Select(d => $"head {d.Head}: degree {Degrees(d.Degrees)}")),
                _ => "nothing evaluated",
            };
            output.WriteLine($"    layer {layer.Layer,2}: {what}");
        }
    }

    // One line per variant layer: its spec and what it reports (adaptive spans, entmax's α and zeros, ...).
    internal static void WriteVariants(TextWriter output, IReadOnlyList<LayerVariantReport> variants)
    {
        output.WriteLine("  attention variants:");
        foreach (var (layer, report) in variants)
        {
            var values = report.Values.Select(kv => $"{kv.Key} {string.Join(", ", kv.Value.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}");
            output.WriteLine($"    layer {layer,2}: {report.Spec}  {string.Join("; ", values)}");
        }
    }

    private static string Degrees(IReadOnlyList<int> degrees) =>
        degrees.Count == 1 ? degrees[0].ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{degrees.Min()}..{degrees.Max()} over {degrees.Count} positions (mean {degrees.Average():0.##})");

    // About ten lines for a long split, none for a short one.
    private static SyncProgress<int>? Deciles(TextWriter error, int total)
    {
        if (total < 2000) return null;
        int printed = 0;
        return new SyncProgress<int>(done =>
        {
            int decile = (int)(10L * done / total);
            if (decile <= printed) return;
            printed = decile;
            error.WriteLine($"evaluated {done} of {total} examples");
        });
    }

    /// <summary>
    /// What <c>sieve evaluate --format json</c> prints: at least <c>metrics</c> and <c>sparsity</c>; <c>learned</c>
    /// (spec and per-layer report) when the model has a learnable pattern, else null; <c>variants</c> (per variant layer:
    /// its spec and values such as the learned spans) when some layer has an attention variant, else null;
    /// <c>newlyInitialized</c>: the weights the checkpoint lacked (a pooler; never the classifier, which is refused).
    /// </summary>
    internal sealed record Report(string Task, string Split, int Examples, string? Pattern, IReadOnlyDictionary<string, double> Metrics,
        double Sparsity, double? Loss, string? PredictionsFile, LearnedPatternReport? Learned, IReadOnlyList<LayerVariantReport>? Variants,
        IReadOnlyList<string> NewlyInitialized);
}
