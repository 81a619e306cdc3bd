// The learning-rate schedule of HF `get_linear_schedule_with_warmup` (transformers/optimization.py): linear warm-up
// from 0 to the peak, then linear decay to 0 at the last step. A pure function of the step, so resuming needs no state.
namespace Sieve.Training;

/// <summary>Linear warm-up and decay, as a multiplier of the peak learning rate.</summary>
public static class LinearSchedule
{
    /// <summary>
    /// The warm-up length HF uses (<c>TrainingArguments.get_warmup_steps</c>): <paramref name="warmupSteps"/> when above
    /// 0, otherwise ⌈<paramref name="warmupRatio"/> × <paramref name="maxSteps"/>⌉.
    /// </summary>
    public static int WarmupSteps(int maxSteps, double warmupRatio, int warmupSteps) =>
        warmupSteps > 0 ? warmupSteps : (int)Math.Ceiling(maxSteps * warmupRatio);

    /// <summary>
    /// The multiplier for the optimizer update with 0-based index <paramref name="step"/>: step / warmup during the
    /// warm-up, then (max − step) / (max − warmup), never below 0. As in HF the first update of a warm-up uses 0.
    /// </summary>
    public static double Factor(int step, int warmupSteps, int maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < warmupSteps) return (double)step / Math.Max(1, warmupSteps);
        return Math.Max(0.0, (double)(maxSteps - step) / Math.Max(1, maxSteps - warmupSteps));
    }
}
