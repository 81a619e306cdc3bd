// `sieve finetune`: fine-tune (or train from scratch) a classifier on a task with any pattern, with HF's defaults, a
// live progress bar, JSONL/TensorBoard logs, checkpoints, --resume, and a final dev evaluation with measured ρ.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Variants;

namespace Sieve.Cli;

/// <summary>Builds the <c>finetune</c> command.</summary>
internal static class FineTuneCommand
{
    /// <summary>Exit code when the loss became NaN or infinite (the last good checkpoint is kept).</summary>
    public const int Diverged = 3;

    public static Command Build()
    {
        var task = new Option<string>("--task") { Description = $"The task: {string.Join(", ", TaskDefinition.Names)}.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "The folder with the task's files (train.tsv, dev.tsv, …).", Required = true };
        var model = ModelOption.Create("The pre-trained model to fine-tune", required: false);
        var config = new Option<FileInfo?>("--config") { Description = "An HF-style config.json to train from scratch instead." };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "The WordPiece vocab.txt (GLUE tasks; default: the model directory's)." };
        var pattern = new Option<string?>("--pattern") { Description = "The attention spec, any form of the one grammar: a pattern such as 'local(2)+global(1)', a layers(...) schedule, a variant such as 'linformer(k=64)', or a learnable pattern such as 'learned_diagonal(max_offset=16, level=task)+global(1)', 'aaa(local=2)', 'learned_degree(max_degree=8)' (default: the model's saved pattern, else dense)." };
        var targetSparsity = new Option<double?>("--target-sparsity") { Description = "Train a learnable pattern towards this ρ (AAA Eq. 10: loss + α·max(0, ρ_target − ρ); see --sparsity-penalty)." };
        var matchSparsityOf = new Option<string?>("--match-sparsity-of") { Description = "Train a learnable pattern towards the ρ this fixed pattern has on the training examples (or the dev examples, with --match-sparsity-on dev), over every layer and head (AAA Table 4's same-sparsity comparison), measured before training; instead of --target-sparsity." };
        var matchSparsityOn = new Option<string>("--match-sparsity-on")
        {
            Description = "The split whose examples --match-sparsity-of is measured on: train, or dev when the comparison is read on dev and the splits' lengths differ (a fixed window's ρ grows with length; only lengths are read). With dev, a learned pattern that does not read its input (learned_diagonal, learned_degree) is also penalised at the dev lengths.",
            DefaultValueFactory = _ => "train",
        };
        matchSparsityOn.AcceptOnlyFromAmong("train", "dev");
        var alpha = new Option<double>("--alpha") { Description = "α of the sparsity penalty (its maximum with --alpha-schedule linear).", DefaultValueFactory = _ => 1.0 };
        var alphaSchedule = new Option<string>("--alpha-schedule") { Description = "constant, or linear: α rises from 0 to --alpha at half of training.", DefaultValueFactory = _ => "constant" };
        alphaSchedule.AcceptOnlyFromAmong("constant", "linear");
        var penalty = new Option<string>("--sparsity-penalty")
        {
            Description = "hinge: AAA Eq. 10, α·max(0, ρ_target − ρ), which leaves ρ alone above the target; two-sided: α·|ρ_target − ρ|, which pulls ρ to the target from both sides (for a task that does not itself want denser attention).",
            DefaultValueFactory = _ => "hinge",
        };
        penalty.AcceptOnlyFromAmong("hinge", "two-sided");
        var temperature = new Option<double>("--temperature") { Description = "Gumbel temperature τ of a learnable pattern at step 0.", DefaultValueFactory = _ => 1.0 };
        var temperatureEnd = new Option<double?>("--temperature-end") { Description = "τ after --anneal-steps (geometric annealing; default: --temperature, no annealing)." };
        var annealSteps = new Option<long>("--anneal-steps") { Description = "Steps over which τ goes from --temperature to --temperature-end (and the noise from 1 to --noise-end).", DefaultValueFactory = _ => 0 };
        var noiseEnd = new Option<double>("--noise-end") { Description = "Scale of the Gumbel noise after --anneal-steps, linearly from 1 (towards 0 the training masks meet the hardened pattern).", DefaultValueFactory = _ => 1.0 };
        var patternLearningRate = new Option<double>("--pattern-lr") { Description = "Peak learning rate of the pattern's own logits (no weight decay; scheduled like the model's).", DefaultValueFactory = _ => new GumbelOptions().LearningRate };
        var initialLogit = new Option<double>("--initial-logit") { Description = "A new learnable pattern's initial keep logit (+3: start near full attention).", DefaultValueFactory = _ => new GumbelOptions().InitialLogit };
        var sublayers = new Option<string?>("--sublayers") { Description = "The sublayer order of a model built from --config (Press et al. 2020): 's' attention, 'f' feed-forward, as many of each as layers, e.g. sssfsfsfff, or sandwich(k=K); recorded in config.json. With --model only the order it was trained with." };
        var pooling = new Option<ClassifierPooling?>("--classifier-pooling")
        {
            Description = "What the classifier reads: cls, HF's pooler over [CLS] (tanh(dense)); or mean, the mean of the last hidden state over the real tokens, without the pooler (the pooling sentence-transformers models such as minilm were trained for). Saved in config.json (default: the model's saved choice, else cls).",
        };
        var kernel = new Option<AttentionKernelKind>("--kernel") { Description = "The kernel that computes the pattern.", DefaultValueFactory = _ => AttentionKernelKind.Auto };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per micro-batch.", DefaultValueFactory = _ => 32 };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per example, [CLS] included.", DefaultValueFactory = _ => 128 };
        var maxPositions = new Option<int?>("--max-positions") { Description = "Extend the --model's position table to this many positions before training (Longformer's copy of the learned rows, Beltagy et al. 2020, §5; see sieve extend); the saved model keeps the new size." };
        var maxTrain = new Option<int?>("--max-train-examples") { Description = "Train on the first N training examples only." };
        var maxEval = new Option<int?>("--max-eval-examples") { Description = "Evaluate on the first N dev examples only." };
        var gateBiasScale = new Option<double>("--gate-bias-scale") { Description = "C of a learnable pattern's training bias (g − 1)·C: 1e4 (BERT's masked score) hides closed gates exactly, but its gradient is C per gate; about 10 keeps a pre-trained encoder's gradients in range. Evaluation runs the hardened pattern either way.", DefaultValueFactory = _ => LearnablePattern.DefaultBiasScale };
        var groupByLength = new Option<bool>("--group-by-length") { Description = "Batch examples of similar length (HF's group_by_length: sorted within mega-batches of 50 batches, batches shuffled), so that little is padded; tokens/s in the progress line counts real tokens." };
        var trainParses = new Option<FileInfo?>("--train-parses") { Description = "The CoNLL-U dependency parses of the training rows, for syntax(k): one sentence per text in row order (two per row for a pair task: text, then text pair)." };
        var devParses = new Option<FileInfo?>("--dev-parses") { Description = "The CoNLL-U dependency parses of the dev rows, as --train-parses." };
        var mismatchedParses = new Option<FileInfo?>("--dev-mismatched-parses") { Description = "The CoNLL-U dependency parses of MNLI's dev_mismatched.tsv rows, as --train-parses." };
        var unparsed = UnparsedRowsOption.Create();
        var skip = new Option<bool>("--skip-malformed") { Description = "Skip and count malformed rows instead of stopping at the first." };
        var trainer = new TrainerCommandOptions("training data", 5e-5, "dev", "initialisation, data order, dropout, random patterns");
        var command = new Command("finetune", "Fine-tune a classifier on a task with any attention pattern; reports the dev metrics and the measured sparsity ρ.")
        {
            task, data, model, config, vocab, pattern, targetSparsity, matchSparsityOf, matchSparsityOn, alpha, alphaSchedule, penalty, temperature, temperatureEnd, annealSteps, noiseEnd,
            patternLearningRate, initialLogit, sublayers, pooling, kernel, batchSize, maxLength, maxPositions, maxTrain, maxEval, groupByLength, gateBiasScale,
            trainParses, devParses, mismatchedParses, unparsed, skip,
        };
        foreach (var option in trainer.All) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(parse, "finetune", () =>
        {
            var definition = TaskDefinition.Parse(parse.GetValue(task)!);
            double? targetRho = parse.GetValue(targetSparsity);
            string? match = parse.GetValue(matchSparsityOf);
            if (targetRho is not null && match is not null)
                throw new ArgumentException("give either --target-sparsity (a number) or --match-sparsity-of (a fixed pattern whose ρ on the training examples is the target), not both.");
            if (match is null && parse.GetResult(matchSparsityOn) is { Implicit: false })
                throw new ArgumentException("--match-sparsity-on says where the ρ of --match-sparsity-of is measured; give --match-sparsity-of too.");
            var options = new FineTuneOptions
            {
                Task = definition,
                DataDirectory = parse.GetValue(data)!.FullName,
                ModelDirectory = ModelOption.Resolve(parse, model),
                ConfigPath = parse.GetValue(config)?.FullName,
                VocabPath = parse.GetValue(vocab)?.FullName,
                Pattern = parse.GetValue(pattern),
                TrainParses = parse.GetValue(trainParses)?.FullName,
                DevParses = parse.GetValue(devParses)?.FullName,
                DevMismatchedParses = parse.GetValue(mismatchedParses)?.FullName,
                UnparsedRows = UnparsedRowsOption.Read(parse, unparsed),
                PatternLearning = new GumbelOptions
                {
                    TemperatureStart = parse.GetValue(temperature),
                    TemperatureEnd = parse.GetValue(temperatureEnd) ?? parse.GetValue(temperature),
                    AnnealingSteps = parse.GetValue(annealSteps),
                    NoiseEnd = parse.GetValue(noiseEnd),
                    LearningRate = parse.GetValue(patternLearningRate),
                    InitialLogit = parse.GetValue(initialLogit),
                },
                // With --match-sparsity-of the job measures the target; 0 stands in and is never read.
                SparsityTarget = targetRho is not null || match is not null
                    ? new SparsityLoss
                    {
                        Target = targetRho ?? 0,
                        Alpha = parse.GetValue(alpha),
                        Schedule = parse.GetValue(alphaSchedule) == "linear" ? AlphaSchedule.LinearToHalf : AlphaSchedule.Constant,
                        Penalty = parse.GetValue(penalty) == "two-sided" ? SparsityPenalty.TwoSided : SparsityPenalty.Hinge,
                    }
                    : null,
                MatchSparsityOf = match,
                MatchSparsityOn = parse.GetValue(matchSparsityOn) == "dev" ? DataSplit.Dev : DataSplit.Train,
                Sublayers = parse.GetValue(sublayers),
                ClassifierPooling = parse.GetValue(pooling),
                Kernel = parse.GetValue(kernel),
                MaxLength = parse.GetValue(maxLength),
                MaxPositions = parse.GetValue(maxPositions),
                BatchSize = parse.GetValue(batchSize),
                MaxTrainExamples = parse.GetValue(maxTrain),
                MaxEvalExamples = parse.GetValue(maxEval),
                GroupByLength = parse.GetValue(groupByLength),
                GateBiasScale = parse.GetValue(gateBiasScale),
                SkipMalformedRows = parse.GetValue(skip),
                Resume = parse.GetValue(trainer.Resume),
                ResumeFrom = trainer.ResumeFromPath(parse),
                Trainer = trainer.Read(parse, definition.PaperMetric.ToString().ToLowerInvariant()),
            };
            var error = parse.InvocationConfiguration.Error;
            var result = TrainingDisplay.Run(error, $"{definition.Name}", (progress, stop) => FineTuneJob.Run(options, progress, error.WriteLine, stop));
            var summary = Summary.Of(definition, result);
            var writer = parse.InvocationConfiguration.Output;
            if (parse.GetValue(trainer.Format) == OutputFormat.Json) writer.WriteLine(JsonSerializer.Serialize(summary, CommandRunner.Json));
            else WriteTable(writer, summary);
            return TrainerCommandOptions.ExitCode(result.Training.Outcome);
        }));
        return command;
    }

    private static void WriteTable(TextWriter writer, Summary summary)
    {
        writer.WriteLine(summary.Message);
        writer.WriteLine($"task {summary.Task}   pattern {summary.Pattern ?? "dense (HF)"}   {summary.TrainExamples} training examples, {summary.Steps} steps");
        foreach (var (name, value) in summary.Metrics)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dev {name,-10} {value:0.0000}"));
        if (summary.Sparsity is double rho) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dev ρ (Eq. 9)  {rho:0.0000}"));
        if (summary.Variants is { } variants) EvaluateCommand.WriteVariants(writer, variants);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  training time  {summary.TrainingSeconds:0.0} s   peak memory {(summary.PeakBytes is long b ? $"{b / 1048576.0:0} MiB" : "n/a")}"));
        if (summary.ModelDirectory is not null) writer.WriteLine($"  model saved to {summary.ModelDirectory}");
        if (summary.BestCheckpoint is not null) writer.WriteLine($"  best checkpoint {summary.BestCheckpoint}");
    }

    /// <summary>The final report of a run; the JSON names are the camel-cased properties.</summary>
    internal sealed record Summary(string Task, string? Pattern, string Outcome, string Message, int Steps, int TrainExamples,
        IReadOnlyDictionary<string, double> Metrics, double? Sparsity, double TrainingSeconds, long? PeakBytes, string? ModelDirectory,
        string? LastCheckpoint, string? BestCheckpoint, int SkippedRows)
    {
        /// <summary>What the attention variants learned (spans, α, share of zeros), from the dev evaluation; null without variants.</summary>
        public IReadOnlyList<LayerVariantReport>? Variants { get; init; }

        public static Summary Of(TaskDefinition task, FineTuneResult result) => new(
            task.Name, result.Pattern, result.Training.Outcome.ToString(), result.Training.Message, result.Training.Step, result.TrainExamples,
            result.DevMetrics(),
            result.Dev?.Sparsity, result.TrainingTime.TotalSeconds, result.PeakBytes, result.ModelDirectory,
            result.Training.LastCheckpoint, result.Training.BestCheckpoint, result.SkippedRows)
        {
            Variants = result.Dev?.Variants,
        };
    }
}
