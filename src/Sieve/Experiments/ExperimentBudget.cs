// What each cell of a grid may spend and how it trains: steps or epochs, batch size, sequence length, learning rate,
// warm-up, weight decay, the classifier's pooling, length-grouped batches, evaluation steps and a learnable pattern's
// gate scale and own learning rate (HF's and `sieve finetune`'s defaults where the spec is silent), so a grid can run
// the recipe a pre-trained model needs.
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

    /// <summary>Warm-up as a fraction of the optimizer steps (HF default 0).</summary>
    public double WarmupRatio
    {
        get;
        init => field = double.IsFinite(value) && value is >= 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(WarmupRatio), value, $"budget warmup_ratio must be in [0, 1], got {value}; 0.1 warms up over the first tenth.");
    }

    /// <summary>Decoupled weight decay (HF default 0).</summary>
    public double WeightDecay
    {
        get;
        init => field = double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, $"budget weight_decay must be 0 or more, got {value}; 0.01 is a common choice.");
    }

    /// <summary>What the classifier reads (<c>finetune --classifier-pooling</c>); null keeps the model's own choice.</summary>
    public Modeling.ClassifierPooling? ClassifierPooling { get; init; }

    /// <summary>Batches of similar lengths (<c>finetune --group-by-length</c>; default false).</summary>
    public bool GroupByLength { get; init; }

    /// <summary>Evaluate on dev every this many optimizer steps as well as at the end (default 0: only at the end).</summary>
    public int EvalSteps { get; init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(EvalSteps), value, $"budget eval_steps must be 0 (only at the end) or more, got {value}."); }

    /// <summary>C of a learnable pattern's training bias (g − 1)·C (<c>finetune --gate-bias-scale</c>; default 1e4).</summary>
    public double GateBiasScale
    {
        get;
        init => field = double.IsFinite(value) && value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(GateBiasScale), value, $"budget gate_bias_scale must be a positive number, got {value}; 10 suits a pre-trained encoder (docs/LEARNABLE.md).");
    } = Learnable.LearnablePattern.DefaultBiasScale;

    /// <summary>The learning rate of a learnable pattern's own parameters (<c>finetune --pattern-learning-rate</c>; default 1e-2).</summary>
    public double PatternLearningRate
    {
        get;
        init => field = double.IsFinite(value) && value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(PatternLearningRate), value, $"budget pattern_learning_rate must be a positive number, got {value}; 1e-2 is the default.");
    } = 1e-2;

    private static int AtLeastOne(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"budget {name} must be at least 1, got {value}.");
}
