// The HF linear schedule at hand-computed steps, and the warm-up length rule of TrainingArguments.get_warmup_steps.
using Sieve.Training;

namespace Sieve.Tests.Training;

public sealed class LinearScheduleTests
{
    [Theory]
    [InlineData(0, 0.0)]      // the first update of a warm-up uses lr 0, as in HF
    [InlineData(1, 0.5)]
    [InlineData(2, 1.0)]      // peak at the end of the warm-up
    [InlineData(6, 0.5)]      // (10 − 6) / (10 − 2)
    [InlineData(9, 0.125)]
    [InlineData(10, 0.0)]
    [InlineData(12, 0.0)]     // never negative past the end
    public void Factor_WarmsUpThenDecaysLinearlyToZero(int step, double expected) =>
        Assert.Equal(expected, LinearSchedule.Factor(step, warmupSteps: 2, maxSteps: 10), 12);

    [Fact]
    public void Factor_WithoutWarmup_StartsAtThePeak() =>
        Assert.Equal([1.0, 0.75, 0.5, 0.25], Enumerable.Range(0, 4).Select(s => LinearSchedule.Factor(s, 0, 4)));

    [Theory]
    [InlineData(10, 0.1, 0, 1)]
    [InlineData(10, 0.15, 0, 2)]   // ceil(1.5)
    [InlineData(10, 0.5, 3, 3)]    // explicit steps win over the ratio
    [InlineData(10, 0.0, 0, 0)]
    public void WarmupSteps_FollowsHf(int maxSteps, double ratio, int steps, int expected) =>
        Assert.Equal(expected, LinearSchedule.WarmupSteps(maxSteps, ratio, steps));

    [Fact]
    public void Options_RejectBadValues_WithTheirName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { WarmupRatio = 1.5 });
        Assert.Contains("warm-up ratio", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { LearningRate = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { Beta2 = 1.0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { GradientAccumulationSteps = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainerOptions { SaveTotalLimit = 0 });
    }

    [Fact]
    public void Options_DefaultToHf()
    {
        var o = new TrainerOptions();
        Assert.Equal((5e-5, 0.9, 0.999, 1e-8, 0.0, 1.0, 1, 3), (o.LearningRate, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.MaxGradNorm, o.GradientAccumulationSteps, o.Epochs));
        Assert.False(o.ResolvedGreaterIsBetter);   // "loss": lower is better
        Assert.True((o with { MetricForBestModel = "accuracy" }).ResolvedGreaterIsBetter);
    }
}
