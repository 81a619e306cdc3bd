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

    /// <summary>
    /// The scale of the Gumbel/logistic noise after <see cref="AnnealingSteps"/>, reached linearly from 1 (default 1: the
    /// relaxation as defined, no annealing) [I]. The hard samples do not depend on τ, only on z + noise, so while logits
    /// sit near 0 the sampled masks are denser or sparser than the evaluation threshold 1[z &gt; 0]: the ρ that Eq. 10
    /// trains is then not the ρ of the hardened pattern. Annealing the noise towards 0 makes the two meet at the end.
    /// </summary>
    public double NoiseEnd
    {
        get;
        init
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(NoiseEnd), value, $"NoiseEnd must lie in [0, 1], got {value}; 1 keeps the noise as it is.");
            field = value;
        }
    } = 1.0;

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

    /// <summary>The noise scale at training step <paramref name="step"/>: 1 → <see cref="NoiseEnd"/> linearly over <see cref="AnnealingSteps"/>.</summary>
    public double NoiseScaleAt(long step)
    {
        if (AnnealingSteps == 0 || step >= AnnealingSteps) return AnnealingSteps == 0 ? 1.0 : NoiseEnd;
        return 1.0 + ((NoiseEnd - 1.0) * Math.Max(0, step) / AnnealingSteps);
    }

    private static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number, got {value}.");
}
