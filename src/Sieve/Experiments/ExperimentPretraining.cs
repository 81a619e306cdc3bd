// The `pretraining:` section of a grid: what a `pretrain: yes` cell does before fine-tuning — masked-LM pre-training on
// a raw-text corpus with the cell's own pattern (AAA's sparse pre-training), HF run_mlm.py defaults where it is silent.
namespace Sieve.Experiments;

/// <summary>The masked-LM pre-training budget shared by every <c>pretrain: yes</c> cell of <see cref="ExperimentSpec"/>.</summary>
public sealed record ExperimentPretraining
{
    /// <summary>The raw-text corpus: one document or sentence per line; blank lines are skipped.</summary>
    public required string CorpusPath { get; init; }

    /// <summary>Optimizer steps of pre-training; 0 (default) means <see cref="Epochs"/> passes over the corpus.</summary>
    public int MaxSteps { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, $"pretraining max_steps must be 0 (use epochs) or more, got {value}."); }

    /// <summary>Epochs over the corpus when <see cref="MaxSteps"/> is 0 (HF run_mlm default 3).</summary>
    public int Epochs { get; init => field = AtLeast(value, 1, "epochs", "3 is the HF default"); } = 3;

    /// <summary>Lines per training micro-batch (default 32).</summary>
    public int BatchSize { get; init => field = AtLeast(value, 1, "batch_size", "32 is the default"); } = 32;

    /// <summary>Tokens per line, [CLS] and [SEP] included; longer lines are truncated (default 128, BERT's phase 1).</summary>
    public int MaxLength { get; init => field = AtLeast(value, 3, "max_length", "a line needs [CLS], a token and [SEP]"); } = 128;

    /// <summary>Peak learning rate (default 1e-4, BERT's pre-training rate).</summary>
    public double LearningRate
    {
        get;
        init => field = double.IsFinite(value) && value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"pretraining learning_rate must be a positive number, got {value}; 1e-4 is BERT's.");
    } = 1e-4;

    /// <summary>The share of tokens chosen for prediction (default 0.15, BERT's; 80/10/10 replacement).</summary>
    public double MlmProbability
    {
        get;
        init => field = double.IsFinite(value) && value > 0 && value <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(MlmProbability), value, $"pretraining mlm_probability must be in (0, 1], got {value}; 0.15 is BERT's.");
    } = 0.15;

    /// <summary>The share of corpus lines held out to evaluate the MLM (default 0.05, as run_mlm's train[:5%]); 0 evaluates nothing.</summary>
    public double ValidationShare
    {
        get;
        init => field = double.IsFinite(value) && value >= 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(ValidationShare), value, $"pretraining validation_share must be in [0, 1), got {value}; 0.05 holds out 5% of the lines, 0 none.");
    } = 0.05;

    private static int AtLeast(int value, int least, string name, string hint) =>
        value >= least ? value : throw new ArgumentOutOfRangeException(name, value, $"pretraining {name} must be at least {least}, got {value}; {hint}.");
}
