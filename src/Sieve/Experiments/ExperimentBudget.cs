// What each cell of a grid may spend: steps or epochs, batch size, sequence length and learning rate (HF defaults
// where the spec is silent, as in `sieve finetune`).
namespace Sieve.Experiments;

/// <summary>The training budget shared by every cell of <see cref="ExperimentSpec"/>.</summary>
public sealed record ExperimentBudget
{
    /// <summary>Optimizer steps per cell; 0 (default) means <see cref="Epochs"/> passes over the data.</summary>
    public int MaxSteps { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSteps), value, $"budget max_steps must be 0 (use epochs) or more, got {value}."); }

    /// <summary>Epochs per cell when <see cref="MaxSteps"/> is 0 (HF default 3).</summary>
    public int Epochs { get; init => field = AtLeastOne(value, "epochs"); } = 3;

    /// <summary>Examples per training micro-batch (default 32).</summary>
    public int BatchSize { get; init => field = AtLeastOne(value, "batch_size"); } = 32;

    /// <summary>Tokens per example, [CLS] included (default 128, HF's run_glue).</summary>
    public int MaxLength { get; init => field = AtLeastOne(value, "max_length"); } = 128;

    /// <summary>Peak learning rate (HF default 5e-5).</summary>
    public double LearningRate
    {
        get;
        init => field = double.IsFinite(value) && value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"budget learning_rate must be a positive number, got {value}; 5e-5 is the HF default.");
    } = 5e-5;

    private static int AtLeastOne(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"budget {name} must be at least 1, got {value}.");
}
