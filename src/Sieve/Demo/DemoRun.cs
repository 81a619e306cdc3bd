// The outcome of one (pattern, seed) training run of the demo.
namespace Sieve.Demo;

/// <summary>One trained model of the demo.</summary>
/// <param name="Pattern">The pattern spec it trained with.</param>
/// <param name="Seed">The model seed.</param>
/// <param name="Accuracy">Accuracy on the held-out examples (chance is 1 / classes).</param>
/// <param name="Sparsity">AAA Eq. 9 over the held-out examples, layers and heads (real lengths).</param>
/// <param name="TrainingSeconds">Wall time of the training loop.</param>
/// <param name="PeakBytes">Peak resident memory as the report's <see cref="DemoReportSetup.MemoryHeading"/> says (null where /proc cannot say).</param>
/// <param name="FinalLoss">The training loss of the last step.</param>
public sealed record DemoRun(string Pattern, int Seed, double Accuracy, double Sparsity, double TrainingSeconds, long? PeakBytes, double FinalLoss);
