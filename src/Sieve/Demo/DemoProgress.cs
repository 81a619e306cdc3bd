// Where the demo stands: which run of how many, and that run's latest training report.
using Sieve.Training;

namespace Sieve.Demo;

/// <summary>A progress report of <see cref="DemoRunner.Run"/>.</summary>
/// <param name="Run">0-based index of the current run.</param>
/// <param name="Runs">The number of runs (patterns × seeds).</param>
/// <param name="Pattern">The current run's pattern.</param>
/// <param name="Seed">The current run's seed.</param>
/// <param name="Training">The trainer's latest report, or null when the run is starting or evaluating.</param>
public sealed record DemoProgress(int Run, int Runs, string Pattern, int Seed, TrainingProgress? Training);
