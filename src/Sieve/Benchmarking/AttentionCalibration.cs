// `sieve bench calibrate`: times Sdpa, BlockSparse, Banded and Csr on a small grid of (N, density, family) and fits each kernel's
// cost line (KernelCost) by non-negative least squares, giving the AttentionCostModel the auto kernel chooses with.
using System.Runtime.InteropServices;
using Sieve.Kernels;
using Sieve.Patterns;

namespace Sieve.Benchmarking;

/// <summary>Measures the exact kernels on a grid and fits an <see cref="AttentionCostModel"/>.</summary>
public static class AttentionCalibration
{
    /// <summary>One measured grid point of one kernel.</summary>
    public sealed record Sample(AttentionKernelKind Kernel, AttentionCostFeatures Features, double ForwardMs, double TrainStepMs);

    /// <summary>Runs the grid (progress names each point) and fits the model.</summary>
    public static AttentionCostModel Run(AttentionCalibrationOptions? options = null, IProgress<string>? progress = null)
    {
        options ??= new AttentionCalibrationOptions();
        var samples = Measure(options, progress);
        return Fit(samples, options.BlockSize) with
        {
            Created = DateTimeOffset.UtcNow,
            Machine = $"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} cores, .NET {Environment.Version}",
        };
    }

    /// <summary>
    /// Times each exact kernel at every (length, density) of the grid on two families: local(w)+global(2) windows, whose
    /// tiles BlockSparse masks at the window's edges, and BigBird's blocks of two tiles, which it runs unmasked.
    /// </summary>
    public static IReadOnlyList<Sample> Measure(AttentionCalibrationOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        AttentionKernel[] kernels = [new SdpaKernel(), new BlockSparseKernel(new BlockSparseOptions { BlockSize = options.BlockSize }), new BandedKernel(), new CsrKernel()];
        var points = Points(options);
        var samples = new List<Sample>();
        for (int point = 0; point < points.Count; point++)
        {
            var (n, pattern) = points[point];
            var benchmark = options.Benchmark with { Length = n };
            var layout = AttentionBenchmark.Layout(pattern, benchmark);
            progress?.Report($"calibrating {point + 1}/{points.Count}: N={n} {pattern} (density {AttentionBenchmark.Density(layout):0.###})");
            var features = AttentionCostFeatures.Of(benchmark.Heads, benchmark.Dim, layout, options.BlockSize, banded: new BandedOptions());
            foreach (var result in AttentionBenchmark.Run(layout, pattern.ToString(), benchmark, kernels))
            {
                // A window too wide for the split runs Banded on BlockSparse: that time says nothing of Banded's line.
                if (result.Kernel != AttentionKernelKind.Banded || features.BandWork is not null)
                    samples.Add(new Sample(result.Kernel, features, result.ForwardMs, result.TrainStepMs));
            }
        }
        return samples;
    }

    // The grid's patterns per length: a window per density, and BigBird blocks of 2b with as many random blocks as
    // reach the density (a middle block row keeps its window of 3 blocks, the 2 global ones and r random: (5 + r)·2b
    // of N keys). Short lengths give the same blocks pattern for several densities; each is timed once. The windows
    // carry two global tokens, as Longformer's and BigBird's patterns do: Banded's global rows and columns cost it
    // 1–2e-4 ms per query row beyond its band (local(64) at N = 4,096: 11 ms alone, 17 ms with global(2)), which
    // windows alone would leave out of its line; a window without global tokens is then costed a little high.
    private static List<(int Length, Pattern Pattern)> Points(AttentionCalibrationOptions options)
    {
        var points = new List<(int, Pattern)>();
        int blockOfBlocks = 2 * options.BlockSize;
        foreach (int n in options.Lengths)
        {
            // local(w) keeps (2w+1)N − w(w+1) entries: density ≈ (2w+1)/N for w ≪ N.
            foreach (double density in options.Densities)
                points.Add((n, new LocalPattern(Math.Clamp((int)Math.Round(((density * n) - 1) / 2), 0, n - 1)) + new GlobalPattern(2)));
            var randomBlocks = options.Densities.Select(d => Math.Max(0, (int)Math.Round(d * n / blockOfBlocks) - 5)).Distinct();
            foreach (int r in randomBlocks)
                points.Add((n, new BigBirdBlocksPattern(blockOfBlocks, r)));
        }
        return points;
    }

    /// <summary>Fits a forward and a train-step line per kernel present in <paramref name="samples"/>.</summary>
    public static AttentionCostModel Fit(IReadOnlyList<Sample> samples, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var forward = new Dictionary<AttentionKernelKind, KernelCost>();
        var train = new Dictionary<AttentionKernelKind, KernelCost>();
        foreach (var group in samples.GroupBy(s => s.Kernel))
        {
            var f = RelativeFit(group, s => s.ForwardMs);
            var t = RelativeFit(group, s => s.TrainStepMs);
            forward[group.Key] = new KernelCost(f[0], f[1], f[2], f[3]);
            train[group.Key] = new KernelCost(t[0], t[1], t[2], t[3]);
        }
        return new AttentionCostModel(blockSize, forward, train);
    }

    // Timing noise is roughly proportional to the time, so each point's row and target are divided by its time: the
    // fit minimises relative error, and the short runs (small N) count as much as the long ones. The masked-work
    // coefficient is fitted only when the samples hold masked and unmasked work in different shares (else it is one
    // column twice and stays 0).
    private static double[] RelativeFit(IEnumerable<Sample> samples, Func<Sample, double> time)
    {
        var points = samples.ToArray();
        var weights = points.Select(s => 1 / Math.Max(time(s), 1e-3)).ToArray();
        bool separable = points.Select(s => Math.Round(s.Features.MaskedWorkOf(s.Kernel) / Math.Max(s.Features.WorkOf(s.Kernel), 1), 6)).Distinct().Count() > 1;
        var rows = points.Select((s, i) => new[]
        {
            weights[i], weights[i] * s.Features.Rows, weights[i] * s.Features.WorkOf(s.Kernel),
            separable ? weights[i] * s.Features.MaskedWorkOf(s.Kernel) : 0,
        }).ToArray();
        return NonNegativeLeastSquares(rows, points.Select((s, i) => weights[i] * time(s)).ToArray());
    }

    /// <summary>
    /// argmin ‖Xc − y‖ over c ≥ 0 for a few columns: ordinary least squares on the free columns, then the most negative
    /// coefficient is fixed at 0 and the rest refitted, until none is negative (an active-set method; exact for 3 columns
    /// in practice, and a negative cost would make no sense anyway).
    /// </summary>
    public static double[] NonNegativeLeastSquares(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0 || x.Count != y.Count) throw new ArgumentException($"need as many targets as rows (≥ 1), got {x.Count} rows and {y.Count} targets.", nameof(y));
        int columns = x[0].Length;
        var free = Enumerable.Range(0, columns).ToList();
        while (true)
        {
            var solution = new double[columns];
            var fit = LeastSquares(x, y, free);
            for (int i = 0; i < free.Count; i++) solution[free[i]] = fit[i];
            int worst = -1;
            foreach (int c in free)
            {
                if (solution[c] < 0 && (worst < 0 || solution[c] < solution[worst])) worst = c;
            }
            if (worst < 0) return solution;
            free.Remove(worst);
        }
    }

    // Normal equations on the chosen columns, each scaled to unit max so that 1 and N²D columns are both well scaled.
    private static double[] LeastSquares(IReadOnlyList<double[]> x, IReadOnlyList<double> y, List<int> columns)
    {
        int m = columns.Count;
        if (m == 0) return [];
        var scale = columns.Select(c => x.Max(row => Math.Abs(row[c]))).Select(s => s > 0 ? s : 1).ToArray();
        var a = new double[m, m + 1];
        for (int r = 0; r < x.Count; r++)
        {
            for (int i = 0; i < m; i++)
            {
                double xi = x[r][columns[i]] / scale[i];
                for (int j = 0; j < m; j++) a[i, j] += xi * x[r][columns[j]] / scale[j];
                a[i, m] += xi * y[r];
            }
        }
        // Gaussian elimination with partial pivoting; a singular column (all equal to another) gets coefficient 0.
        var solution = new double[m];
        var pivotRow = new int[m];
        for (int col = 0, row = 0; col < m; col++)
        {
            pivotRow[col] = -1;
            if (row >= m) continue;
            int best = row;
            for (int r = row + 1; r < m; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[best, col])) best = r;
            }
            if (Math.Abs(a[best, col]) < 1e-12) continue;
            for (int j = 0; j <= m; j++) (a[row, j], a[best, j]) = (a[best, j], a[row, j]);
            for (int r = 0; r < m; r++)
            {
                if (r == row) continue;
                double factor = a[r, col] / a[row, col];
                for (int j = col; j <= m; j++) a[r, j] -= factor * a[row, j];
            }
            pivotRow[col] = row++;
        }
        for (int col = 0; col < m; col++)
            solution[col] = pivotRow[col] < 0 ? 0 : a[pivotRow[col], m] / a[pivotRow[col], col] / scale[col];
        return solution;
    }
}
