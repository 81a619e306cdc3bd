// One pattern's line of the demo table: mean over seeds, with the range so that seed noise is visible.
namespace Sieve.Demo;

/// <summary>The demo's result for one pattern.</summary>
public sealed record DemoSummaryRow(string Pattern, double Sparsity, double Accuracy, double MinAccuracy, double MaxAccuracy,
    double TrainingSeconds, long? PeakBytes, int Seeds);
