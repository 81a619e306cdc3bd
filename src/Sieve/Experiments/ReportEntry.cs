// One task column of one report row: the mean (and sample standard deviation over seeds) of the paper metric and ρ.
namespace Sieve.Experiments;

/// <summary>The completed runs of one (row, task) pair, summarised.</summary>
/// <param name="Runs">Completed runs (seeds) averaged.</param>
/// <param name="Performance">Mean paper metric.</param>
/// <param name="PerformanceStd">Sample standard deviation (n − 1) of the paper metric; null for a single run.</param>
/// <param name="Sparsity">Mean ρ (Eq. 9).</param>
/// <param name="SparsityStd">Sample standard deviation of ρ; null for a single run.</param>
public sealed record ReportEntry(int Runs, double Performance, double? PerformanceStd, double Sparsity, double? SparsityStd)
{
    /// <summary>MNLI: the mean paper metric on the mismatched dev split (<see cref="Performance"/> is the matched one); null otherwise.</summary>
    public double? PerformanceMismatched { get; init; }

    /// <summary>The median of the paper metric over the runs (the mean of the middle two for an even count).</summary>
    public double PerformanceMedian { get; init; }

    /// <summary>The lowest and highest paper metric of the runs: with the median, what a few seeds can honestly say.</summary>
    public (double Min, double Max) PerformanceRange { get; init; }

    /// <summary>The lowest and highest ρ of the runs (learned patterns stop at a different ρ on each seed).</summary>
    public (double Min, double Max) SparsityRange { get; init; }

    /// <summary>Summarises (paper metric, ρ) pairs; null when there are none.</summary>
    /// <param name="runs">One (paper metric, ρ) pair per completed run.</param>
    /// <param name="mismatched">MNLI's mismatched paper metric of the runs that have one (empty for other tasks).</param>
    public static ReportEntry? Of(IReadOnlyList<(double Performance, double Sparsity)> runs, IReadOnlyList<double>? mismatched = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) return null;
        return new ReportEntry(runs.Count, runs.Average(r => r.Performance), Std([.. runs.Select(r => r.Performance)]),
            runs.Average(r => r.Sparsity), Std([.. runs.Select(r => r.Sparsity)]))
        {
            PerformanceMismatched = mismatched is { Count: > 0 } ? mismatched.Average() : null,
            PerformanceMedian = Median([.. runs.Select(r => r.Performance)]),
            PerformanceRange = (runs.Min(r => r.Performance), runs.Max(r => r.Performance)),
            SparsityRange = (runs.Min(r => r.Sparsity), runs.Max(r => r.Sparsity)),
        };
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double? Std(double[] values)
    {
        if (values.Length < 2) return null;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
