// The seam between a grid and training: runs one cell in its own folder and says what it measured.
using Sieve.Training;

namespace Sieve.Experiments;

/// <summary>
/// Trains <paramref name="cell"/> in <paramref name="directory"/> (resuming from a checkpoint there, if any) and returns
/// its measurements. An exception means the cell did not finish: nothing is recorded and a rerun runs it again.
/// </summary>
public delegate CellMeasurement CellRunner(ExperimentCell cell, string directory, IProgress<TrainingProgress>? progress, Action<string>? status,
    CancellationToken cancellationToken);
