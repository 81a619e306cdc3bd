// The trainer's step of one classifier micro-batch, shared by fine-tuning and the demo: the task loss, the tokens, ρ of
// the layouts the batch ran on — or, with a learnable pattern, ρ of its training gates, the gates' temperature, and the
// hinge of AAA Eq. 10 added to the loss when a target sparsity is set. It also follows the update count, which the
// pattern's temperature and noise schedules and the α schedule read.
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.FineTuning;

/// <summary>
/// The step function of a <see cref="Trainer{TBatch}"/> over <see cref="TaskBatch"/>es for <paramref name="model"/>:
/// give the trainer <see cref="Run"/>, <see cref="PatternGroup"/> and <see cref="Begin"/> (its <c>BeforeStep</c>), then
/// set <see cref="TotalSteps"/> to the trainer's <c>MaxSteps</c>. <paramref name="target"/> needs a learnable pattern and
/// is ignored without one. With <paramref name="penaltyLengths"/> the penalty measures ρ on the gates at those real
/// lengths (<see cref="LearnablePattern.SparsityAt"/>, a pattern that does not depend on the input) instead of the
/// batch's, so that a target measured on the dev split is met at the dev lengths.
/// </summary>
public sealed class ClassifierStep(BertForSequenceClassification model, SparsityLoss? target = null, IReadOnlyList<int>? penaltyLengths = null)
{
    private int _step;

    /// <summary>The updates of the whole run, for α's schedule (default 1).</summary>
    public int TotalSteps
    {
        get;
        set => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(TotalSteps), value, $"a run has at least one step, got {value}.");
    } = 1;

    /// <summary>
    /// The optimizer group of the model's learnable pattern (its parameters at their own learning rate, no weight decay),
    /// or null without one.
    /// </summary>
    public OwnRateGroup? PatternGroup =>
        model.Bert.Learned is { } learned ? new OwnRateGroup([.. learned.PatternParameters()], learned.Options.LearningRate) : null;

    /// <summary>Called before update <paramref name="step"/> (0-based): the pattern's schedules follow it.</summary>
    public void Begin(int step)
    {
        _step = step;
        model.Bert.Learned?.Step = step;
    }

    /// <summary>Runs the model on <paramref name="batch"/> and returns its loss and what to log.</summary>
    public TrainStepResult Run(TaskBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (logits, attention) = model.Classify(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts);   // [B, L]
        var loss = model.Loss(logits, batch.Targets);                                                          // []
        if (attention.LearnedSparsity is not { } rho)
            return new TrainStepResult(loss) { Tokens = batch.Tokens, Sparsity = attention.Sparsity };
        double measured = rho.to_type(ScalarType.Float64).item<double>();
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["task_loss"] = loss.to_type(ScalarType.Float64).item<double>(),
            ["temperature"] = model.Bert.Learned!.Temperature,
        };
        if (target is not null)
        {
            var penalized = rho;                                                                             // []
            if (penaltyLengths is not null)
            {
                penalized = model.Bert.Learned!.SparsityAt(penaltyLengths, model.Bert.Config.NumHiddenLayers);   // []
                scalars["penalty_sparsity"] = penalized.to_type(ScalarType.Float64).item<double>();
            }
            var penalty = target.Loss(penalized, _step, TotalSteps);                                         // []
            scalars["sparsity_loss"] = penalty.to_type(ScalarType.Float64).item<double>();
            scalars["alpha"] = target.AlphaAt(_step, TotalSteps);
            loss = loss.Plus(penalty.to_type(loss.dtype));                                                   // []
        }
        return new TrainStepResult(loss) { Tokens = batch.Tokens, Sparsity = measured, Scalars = scalars };
    }
}
