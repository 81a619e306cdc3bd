// Options of the Gumbel relaxation shared by every learnable pattern: temperature schedule, noise, gate mode, the
// logits' initial value and their own learning rate (SparseBERT: τ = 1, no weight decay; METHODS.md §2.4, §3.3, §4.4).
namespace Sieve.Learnable;

/// <summary>Immutable options of a <see cref="LearnablePattern"/>; every value is validated when set.</summary>
public sealed record GumbelOptions
{
    /// <summary>τ at step 0 (default 1, SparseBERT's constant τ). Must be positive.</summary>
    public double TemperatureStart
    {
        get;
        init => field = Positive(value, nameof(TemperatureStart));
    } = 1.0;

    /// <summary>τ from <see cref="AnnealingSteps"/> on (default 1: no annealing; METHODS.md §2.4 suggests 0.1). Must be positive.</summary>
    public double TemperatureEnd
    {
        get;
        init => field = Positive(value, nameof(TemperatureEnd));
    } = 1.0;

    /// <summary>
    /// Steps over which τ goes from start to end, geometrically (τ_t = start·(end/start)^(t/T)), then stays at end.
    /// Default 0: τ is <see cref="TemperatureEnd"/> from the first step.
    /// </summary>
    public long AnnealingSteps
    {
        get;
        init
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(AnnealingSteps), value, $"AnnealingSteps must be >= 0, got {value}; use 0 for a constant temperature.");
            field = value;
        }
    }

    /// <summary>
    /// The learning rate of the pattern's own parameters (default 1e-2, METHODS.md §2.4). The trainer puts
    /// <see cref="LearnablePattern.PatternParameters"/> in their own optimizer group with this rate and no weight decay.
    /// </summary>
    public double LearningRate
    {
        get;
        init => field = Positive(value, nameof(LearningRate));
    } = 1e-2;

    /// <summary>
    /// The initial keep logit (default +3, σ(3) ≈ 0.95): training starts near the dense attention it fine-tunes from and
    /// the hinge of Eq. 10 pulls the sparsity up (METHODS.md §4.4 [I]). SparseBERT starts at ≈ 0 (half kept).
    /// </summary>
    public double InitialLogit
    {
        get;
        init
        {
            if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(InitialLogit), value, "InitialLogit must be a finite number.");
            field = value;
        }
    } = 3.0;

    /// <summary>Whether training adds Gumbel/logistic noise (default true); false leaves σ(z/τ), for checks.</summary>
    public bool Noise { get; init; } = true;

    /// <summary>Hard straight-through gates (default) or the soft relaxation in training.</summary>
    public GateMode Mode { get; init; } = GateMode.StraightThrough;

    /// <summary>τ at training step <paramref name="step"/>.</summary>
    public double TemperatureAt(long step)
    {
        if (AnnealingSteps == 0 || step >= AnnealingSteps) return TemperatureEnd;
        double fraction = Math.Max(0, step) / (double)AnnealingSteps;
        return TemperatureStart * Math.Pow(TemperatureEnd / TemperatureStart, fraction);
    }

    private static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number, got {value}.");
}
