// The trainer's step result of one classifier micro-batch, shared by fine-tuning and the demo: the task loss, the
// tokens, ρ of the layouts the batch ran on — or, with a learnable pattern, ρ of its training gates, the gates'
// temperature, and the hinge of AAA Eq. 10 added to the loss when a target sparsity is set.
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.FineTuning;

/// <summary>Builds the <see cref="TrainStepResult"/> of one micro-batch of a <see cref="BertForSequenceClassification"/>.</summary>
public static class ClassifierStep
{
    /// <summary>
    /// Runs <paramref name="model"/> on <paramref name="batch"/> and returns its loss and what to log. <paramref name="step"/>
    /// of <paramref name="totalSteps"/> sets α of <paramref name="target"/>'s schedule; <paramref name="target"/> needs
    /// a learnable pattern and is ignored without one.
    /// </summary>
    public static TrainStepResult Run(BertForSequenceClassification model, TaskBatch batch, SparsityLoss? target = null, int step = 0, int totalSteps = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var logits = model.forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts);   // [B, L]
        var loss = model.Loss(logits, batch.Targets);                                                          // []
        if (model.Bert.LastLearnedSparsity is not { } rho)
            return new TrainStepResult(loss) { Tokens = batch.Tokens, Sparsity = model.Bert.LastLayouts?.Sparsity ?? 0.0 };
        double measured = rho.to_type(ScalarType.Float64).item<double>();
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["task_loss"] = loss.to_type(ScalarType.Float64).item<double>(),
            ["temperature"] = model.Bert.Learned!.Temperature,
        };
        if (target is not null)
        {
            var hinge = target.Hinge(rho, step, totalSteps);                                                 // []
            scalars["sparsity_hinge"] = hinge.to_type(ScalarType.Float64).item<double>();
            scalars["alpha"] = target.AlphaAt(step, totalSteps);
            loss = loss + hinge.to_type(loss.dtype);                                                         // []
        }
        return new TrainStepResult(loss) { Tokens = batch.Tokens, Sparsity = measured, Scalars = scalars };
    }

    /// <summary>
    /// The optimizer group of <paramref name="model"/>'s learnable pattern (its parameters at their own learning rate,
    /// no weight decay), or null without one.
    /// </summary>
    public static OwnRateGroup? PatternGroup(BertForSequenceClassification model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Bert.Learned is { } learned ? new OwnRateGroup([.. learned.PatternParameters()], learned.Options.LearningRate) : null;
    }
}
