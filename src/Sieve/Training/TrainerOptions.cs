// Options of the training loop, with the Hugging Face `TrainingArguments` defaults (transformers/training_args.py):
// AdamW lr 5e-5, betas 0.9/0.999, eps 1e-8, weight decay 0, linear warm-up and decay, clipping at 1.0, 3 epochs.
namespace Sieve.Training;

/// <summary>Immutable options of <see cref="Trainer{TBatch}"/>; every value is checked when it is set.</summary>
public sealed record TrainerOptions
{
    /// <summary>The folder that receives <c>checkpoint-&lt;step&gt;/</c>, the JSONL log and the TensorBoard events.</summary>
    public string OutputDir
    {
        get;
        init
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException("the output folder must be a path, got an empty string; pass a folder such as 'runs/rte'.", nameof(OutputDir));
            field = value;
        }
    } = "output";

    /// <summary>The peak learning rate (HF default 5e-5), reached at the end of the warm-up.</summary>
    public double LearningRate { get; init => field = Positive(value, nameof(LearningRate), "5e-5 is the HF default"); } = 5e-5;

    /// <summary>AdamW β₁ (HF default 0.9).</summary>
    public double Beta1 { get; init => field = UnitInterval(value, nameof(Beta1)); } = 0.9;

    /// <summary>AdamW β₂ (HF default 0.999).</summary>
    public double Beta2 { get; init => field = UnitInterval(value, nameof(Beta2)); } = 0.999;

    /// <summary>AdamW ε (HF default 1e-8).</summary>
    public double Epsilon { get; init => field = Positive(value, nameof(Epsilon), "1e-8 is the HF default"); } = 1e-8;

    /// <summary>
    /// Decoupled weight decay (HF default 0). Biases and LayerNorm weights never decay, whatever the value
    /// (see <see cref="ParameterGroups"/>).
    /// </summary>
    public double WeightDecay
    {
        get;
        init
        {
            if (!double.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(WeightDecay), value, $"the weight decay must be 0 or more, got {value}; 0.01 is a common choice.");
            field = value;
        }
    }

    /// <summary>Warm-up as a fraction of the optimizer steps (HF default 0); ignored when <see cref="WarmupSteps"/> is above 0.</summary>
    public double WarmupRatio
    {
        get;
        init
        {
            if (!double.IsFinite(value) || value < 0 || value > 1)
                throw new ArgumentOutOfRangeException(nameof(WarmupRatio), value, $"the warm-up ratio must be in [0, 1], got {value}; 0.1 warms up over the first tenth.");
            field = value;
        }
    }

    /// <summary>Warm-up in optimizer steps (HF default 0); above 0 it wins over <see cref="WarmupRatio"/>.</summary>
    public int WarmupSteps { get; init => field = NonNegative(value, nameof(WarmupSteps)); }

    /// <summary>Clip the global L2 norm of the gradients to this value (HF default 1.0); 0 turns clipping off.</summary>
    public double MaxGradNorm
    {
        get;
        init
        {
            if (!double.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), value, $"the gradient norm limit must be 0 (off) or more, got {value}; 1.0 is the HF default.");
            field = value;
        }
    } = 1.0;

    /// <summary>
    /// Micro-batches whose gradients are summed before one optimizer step (HF default 1). Each micro-batch loss is
    /// divided by the number of micro-batches of the step, so the step sees the mean loss.
    /// </summary>
    public int GradientAccumulationSteps { get; init => field = AtLeastOne(value, nameof(GradientAccumulationSteps)); } = 1;

    /// <summary>Passes over the training batches (HF default 3); ignored when <see cref="MaxSteps"/> is above 0.</summary>
    public int Epochs { get; init => field = AtLeastOne(value, nameof(Epochs)); } = 3;

    /// <summary>Total optimizer steps; 0 (default) means <see cref="Epochs"/> × steps per epoch.</summary>
    public int MaxSteps { get; init => field = NonNegative(value, nameof(MaxSteps)); }

    /// <summary>Evaluate every this many optimizer steps, and at the end; 0 (default) evaluates only at the end.</summary>
    public int EvalSteps { get; init => field = NonNegative(value, nameof(EvalSteps)); }

    /// <summary>Write a checkpoint every this many optimizer steps (HF default 500), and always at the end.</summary>
    public int SaveSteps { get; init => field = AtLeastOne(value, nameof(SaveSteps)); } = 500;

    /// <summary>
    /// Whether to write checkpoints at all (default true). False is HF's <c>save_strategy="no"</c>: nothing is written,
    /// not even at the end, so the run cannot be resumed and the trained model lives only in memory (the demo's runs,
    /// whose 270 MB checkpoints of a pre-trained encoder would cost more time than the training they record).
    /// </summary>
    public bool SaveCheckpoints { get; init; } = true;

    /// <summary>
    /// Keep only the newest this many checkpoints, plus the best one; null (default, as in HF) keeps them all.
    /// </summary>
    public int? SaveTotalLimit
    {
        get;
        init
        {
            if (value is < 1)
                throw new ArgumentOutOfRangeException(nameof(SaveTotalLimit), value, $"the number of checkpoints to keep must be at least 1, got {value}; leave it unset to keep all.");
            field = value;
        }
    }

    /// <summary>
    /// The evaluation metric that picks the best checkpoint (HF default "loss", the evaluation loss); it must be a key
    /// of the dictionary the evaluation returns.
    /// </summary>
    public string MetricForBestModel
    {
        get;
        init
        {
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException("the metric for the best checkpoint must be a metric name such as 'loss' or 'accuracy'.", nameof(MetricForBestModel));
            field = value;
        }
    } = "loss";

    /// <summary>Whether a larger metric is better; null (default) means true unless the metric name contains "loss", as in HF.</summary>
    public bool? GreaterIsBetter { get; init; }

    /// <summary>The one seed of the run: data order per epoch and every step's dropout draw derive from it.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Report progress, and write a JSONL / TensorBoard record, every this many optimizer steps (default 1).</summary>
    public int LoggingSteps { get; init => field = AtLeastOne(value, nameof(LoggingSteps)); } = 1;

    /// <summary>Whether to write TensorBoard event files under <c>&lt;output&gt;/runs/</c> (default true).</summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>Whether larger values of <see cref="MetricForBestModel"/> are better, resolved as HF does.</summary>
    public bool ResolvedGreaterIsBetter => GreaterIsBetter ?? !MetricForBestModel.Contains("loss", StringComparison.OrdinalIgnoreCase);

    private static double Positive(double value, string name, string hint) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number, got {value}; {hint}.");

    private static double UnitInterval(double value, string name) =>
        double.IsFinite(value) && value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), got {value}; HF uses 0.9 and 0.999.");

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0 or more, got {value}.");

    private static int AtLeastOne(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, got {value}.");
}
