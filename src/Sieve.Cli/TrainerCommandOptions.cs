// The HF-trainer options that `sieve finetune` and `sieve pretrain` share: the run folder, steps or epochs, gradient
// accumulation, learning rate and weight decay, warm-up, evaluation and checkpoint cadence, seed, resume and the
// summary format. One definition, so that both commands spell, describe and read them alike.
using System.CommandLine;
using Sieve.Training;

namespace Sieve.Cli;

/// <summary>The shared trainer options of a training command; add <see cref="All"/> to the command, then <see cref="Read"/>.</summary>
/// <param name="units">What an epoch runs over, e.g. "training data" or "training lines".</param>
/// <param name="learningRate">The default peak learning rate.</param>
/// <param name="evaluatedOn">What is evaluated every --eval-steps, e.g. "dev" or "the held-out lines".</param>
/// <param name="seeded">What the seed fixes, e.g. "initialisation, data order, dropout, random patterns".</param>
internal sealed class TrainerCommandOptions(string units, double learningRate, string evaluatedOn, string seeded)
{
    public Option<DirectoryInfo> Output { get; } = new("--output", "-o") { Description = "The run folder: checkpoints, logs, and the final model under model/.", Required = true };

    public Option<int> MaxSteps { get; } = new("--max-steps") { Description = "Optimizer steps in all (overrides --epochs).", DefaultValueFactory = _ => 0 };

    public Option<int> Epochs { get; } = new("--epochs") { Description = $"Epochs over the {units}.", DefaultValueFactory = _ => 3 };

    public Option<int> Accumulation { get; } = new("--gradient-accumulation") { Description = "Micro-batches per optimizer step.", DefaultValueFactory = _ => 1 };

    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "Peak learning rate.", DefaultValueFactory = _ => learningRate };

    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "AdamW weight decay (never on biases and LayerNorm).", DefaultValueFactory = _ => 0.0 };

    public Option<double> Warmup { get; } = new("--warmup-ratio") { Description = "Share of the steps spent warming up.", DefaultValueFactory = _ => 0.0 };

    public Option<int> EvalSteps { get; } = new("--eval-steps") { Description = $"Evaluate on {evaluatedOn} every this many steps (0: only at the end).", DefaultValueFactory = _ => 0 };

    public Option<int> SaveSteps { get; } = new("--save-steps") { Description = "Checkpoint every this many steps.", DefaultValueFactory = _ => 500 };

    public Option<SaveStrategy> Save { get; } = new("--save-strategy") { Description = "steps: a checkpoint every --save-steps and at the end (resumable); no: none at all (HF's save_strategy=\"no\"), for quick or timed runs.", DefaultValueFactory = _ => SaveStrategy.Steps };

    public Option<int?> Keep { get; } = new("--save-total-limit") { Description = "Keep only this many newest checkpoints (plus the best)." };

    public Option<int> Seed { get; } = new("--seed") { Description = $"The one seed of the run ({seeded}).", DefaultValueFactory = _ => 42 };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --output from its newest checkpoint, exactly where it stopped; the run's recorded settings must match." };

    public Option<DirectoryInfo?> ResumeFrom { get; } = new("--resume-from") { Description = "Continue from this checkpoint-<step> folder instead of the newest (implies --resume)." };

    public Option<OutputFormat> Format { get; } = new("--format") { Description = "The final summary: table or json.", DefaultValueFactory = _ => OutputFormat.Table };

    /// <summary>HF's save_strategy values that apply here.</summary>
    public enum SaveStrategy { Steps, No }

    /// <summary>Every option, in the order the help lists them.</summary>
    public IEnumerable<Option> All => [Output, MaxSteps, Epochs, Accumulation, LearningRate, WeightDecay, Warmup, EvalSteps, SaveSteps, Save, Keep, Seed, Resume, ResumeFrom, Format];

    /// <summary>The checkpoint folder given with --resume-from, as a full path, or null.</summary>
    public string? ResumeFromPath(ParseResult parse) => parse.GetValue(ResumeFrom)?.FullName;

    /// <summary>The exit code of a training command: 0 done, <see cref="CommandRunner.Cancelled"/> stopped by Ctrl-C, <see cref="FineTuneCommand.Diverged"/> for a NaN loss.</summary>
    public static int ExitCode(TrainingOutcome outcome) => outcome switch
    {
        TrainingOutcome.Completed => 0,
        TrainingOutcome.Cancelled => CommandRunner.Cancelled,
        _ => FineTuneCommand.Diverged,
    };

    /// <summary>The trainer's options as given, keeping the best checkpoint by <paramref name="metricForBestModel"/>.</summary>
    public TrainerOptions Read(ParseResult parse, string metricForBestModel) => new()
    {
        OutputDir = parse.GetValue(Output)!.FullName,
        MaxSteps = parse.GetValue(MaxSteps),
        Epochs = parse.GetValue(Epochs),
        GradientAccumulationSteps = parse.GetValue(Accumulation),
        LearningRate = parse.GetValue(LearningRate),
        WeightDecay = parse.GetValue(WeightDecay),
        WarmupRatio = parse.GetValue(Warmup),
        EvalSteps = parse.GetValue(EvalSteps),
        SaveSteps = parse.GetValue(SaveSteps),
        SaveCheckpoints = parse.GetValue(Save) == SaveStrategy.Steps,
        SaveTotalLimit = parse.GetValue(Keep),
        Seed = parse.GetValue(Seed),
        MetricForBestModel = metricForBestModel,
    };
}
