// `sieve pretrain`: masked-LM pre-training (15% chosen, 80/10/10) on raw text with any pattern, from scratch (--config)
// or from a checkpoint (--model), with a live progress bar, logs, checkpoints, --resume, and a final held-out MLM
// loss and accuracy with measured ρ; the saved model/ folder is what `sieve finetune --model` takes.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Kernels;
using Sieve.Pretraining;

namespace Sieve.Cli;

/// <summary>Builds the <c>pretrain</c> command.</summary>
internal static class PretrainCommand
{
    public static Command Build()
    {
        var data = new Option<FileInfo>("--data") { Description = "The raw-text corpus: one document or sentence per line (blank lines are skipped).", Required = true };
        var validation = new Option<FileInfo?>("--validation") { Description = "A held-out corpus to evaluate on (default: the first --validation-share of --data)." };
        var validationShare = new Option<double>("--validation-share") { Description = "Share of the corpus lines held out for evaluation when no --validation is given (0: none).", DefaultValueFactory = _ => 0.05 };
        var model = ModelOption.Create("A model to continue pre-training", required: false);
        var config = new Option<FileInfo?>("--config") { Description = "An HF-style config.json to pre-train from scratch instead." };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "The WordPiece vocab.txt (default: the model directory's)." };
        var pattern = new Option<string?>("--pattern") { Description = "The attention spec: a pattern such as 'local(2)+global(1)', a variant such as 'linformer(k=64)', or a layers(...) schedule (default: the model's saved attention, else dense)." };
        var sublayers = new Option<string?>("--sublayers") { Description = "The sublayer order of a model built from --config (Press et al. 2020): 's' attention, 'f' feed-forward, as many of each as layers, e.g. sssfsfsfff, or sandwich(k=K); recorded in config.json. With --model only the order it was trained with." };
        var kernel = new Option<AttentionKernelKind>("--kernel") { Description = "The kernel that computes the pattern.", DefaultValueFactory = _ => AttentionKernelKind.Auto };
        var batchSize = new Option<int>("--batch-size") { Description = "Lines per micro-batch.", DefaultValueFactory = _ => 32 };
        var evalBatchSize = new Option<int>("--eval-batch-size") { Description = "Lines per evaluation batch.", DefaultValueFactory = _ => 64 };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per line, [CLS] and [SEP] included; longer lines are truncated.", DefaultValueFactory = _ => 128 };
        var maxPositions = new Option<int?>("--max-positions") { Description = "Extend the --model's position table to this many positions before training (Longformer's copy of the learned rows, Beltagy et al. 2020, §5; see sieve extend); the saved model keeps the new size." };
        var mlmProbability = new Option<double>("--mlm-probability") { Description = "Chance that a token is chosen for prediction (of those: 80% [MASK], 10% random, 10% kept).", DefaultValueFactory = _ => 0.15 };
        var maxTrain = new Option<int?>("--max-train-lines") { Description = "Train on the first N training lines only." };
        var trainer = new TrainerCommandOptions("training lines", 1e-4, "the held-out lines", "initialisation, data order, masking, dropout, random patterns");
        var command = new Command("pretrain", "Pre-train a masked language model on raw text with any attention pattern; reports the held-out MLM loss, accuracy and measured sparsity ρ.")
        {
            data, validation, validationShare, model, config, vocab, pattern, sublayers, kernel, batchSize, evalBatchSize, maxLength,
            maxPositions, mlmProbability, maxTrain,
        };
        foreach (var option in trainer.All) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(parse, "pretrain", () =>
        {
            var options = new PretrainOptions
            {
                DataPath = parse.GetValue(data)!.FullName,
                ValidationPath = parse.GetValue(validation)?.FullName,
                ValidationShare = parse.GetValue(validationShare),
                ModelDirectory = ModelOption.Resolve(parse, model),
                ConfigPath = parse.GetValue(config)?.FullName,
                VocabPath = parse.GetValue(vocab)?.FullName,
                Pattern = parse.GetValue(pattern),
                Sublayers = parse.GetValue(sublayers),
                Kernel = parse.GetValue(kernel),
                MaxLength = parse.GetValue(maxLength),
                MaxPositions = parse.GetValue(maxPositions),
                BatchSize = parse.GetValue(batchSize),
                EvalBatchSize = parse.GetValue(evalBatchSize),
                MaxTrainLines = parse.GetValue(maxTrain),
                Masking = new MlmMaskingOptions { Probability = parse.GetValue(mlmProbability) },
                Resume = parse.GetValue(trainer.Resume),
                ResumeFrom = trainer.ResumeFromPath(parse),
                Trainer = trainer.Read(parse, "loss"),
            };
            var error = parse.InvocationConfiguration.Error;
            var result = TrainingDisplay.Run(error, "mlm", (progress, stop) => PretrainJob.Run(options, progress, error.WriteLine, stop));
            var summary = Summary.Of(result);
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
        writer.WriteLine($"masked LM   pattern {summary.Pattern ?? "dense (HF)"}   {summary.TrainLines} training lines, {summary.ValidationLines} held out, {summary.Steps} steps");
        if (summary.ValidationLoss is double loss) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  held-out MLM loss      {loss:0.0000}"));
        if (summary.ValidationAccuracy is double accuracy) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  held-out MLM accuracy  {accuracy:0.0000}  ({summary.MaskedTokens} masked tokens)"));
        if (summary.Sparsity is double rho) writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  held-out ρ (Eq. 9)     {rho:0.0000}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  training time  {summary.TrainingSeconds:0.0} s   peak memory {(summary.PeakBytes is long b ? $"{b / 1048576.0:0} MiB" : "n/a")}"));
        if (summary.ModelDirectory is not null) writer.WriteLine($"  model saved to {summary.ModelDirectory} (fine-tune it with sieve finetune --model {summary.ModelDirectory})");
    }

    /// <summary>The final report of a run; the JSON names are the camel-cased properties.</summary>
    internal sealed record Summary(string? Pattern, string Outcome, string Message, int Steps, int TrainLines, int ValidationLines,
        double? ValidationLoss, double? ValidationAccuracy, long? MaskedTokens, double? Sparsity, double TrainingSeconds, long? PeakBytes,
        string? ModelDirectory, string? LastCheckpoint, string? BestCheckpoint)
    {
        public static Summary Of(PretrainResult result) => new(
            result.Pattern, result.Training.Outcome.ToString(), result.Training.Message, result.Training.Step, result.TrainLines, result.ValidationLines,
            Finite(result.Validation?.Loss), Finite(result.Validation?.Accuracy), result.Validation?.MaskedTokens, result.Validation?.Sparsity,
            result.TrainingTime.TotalSeconds, result.PeakBytes, result.ModelDirectory, result.Training.LastCheckpoint, result.Training.BestCheckpoint);

        // JSON has no NaN: a held-out split without a chosen token reports null.
        private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
    }
}
