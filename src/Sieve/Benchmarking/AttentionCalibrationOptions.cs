// The grid `sieve bench calibrate` measures the kernels on (AttentionCalibration): lengths × densities of local(w).
using Sieve.Kernels;

namespace Sieve.Benchmarking;

/// <summary>Immutable settings of <see cref="AttentionCalibration"/>; the defaults take about a minute on 2 cores.</summary>
public sealed record AttentionCalibrationOptions
{
    /// <summary>Sequence lengths N of the grid (default 256, 512, 1024, 2048).</summary>
    public IReadOnlyList<int> Lengths
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0 || value.Any(n => n < 2))
                throw new ArgumentOutOfRangeException(nameof(Lengths), $"the calibration needs at least one length, each at least 2; got [{string.Join(", ", value)}].");
            field = [.. value];
        }
    } = [256, 512, 1024, 2048];

    /// <summary>Target densities of the grid, each made by a local(w) window with (2w+1)/N ≈ density (default 0.02, 0.08, 0.3).</summary>
    public IReadOnlyList<double> Densities
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0 || value.Any(d => !(d > 0 && d <= 1)))
                throw new ArgumentOutOfRangeException(nameof(Densities), $"the calibration needs at least one density, each in (0, 1]; got [{string.Join(", ", value)}].");
            field = [.. value];
        }
    } = [0.02, 0.08, 0.3];

    /// <summary>The benchmark shape and timing of each grid point (default H = 4, D = 64, 3 repeats, 1 warm-up, float32).</summary>
    public AttentionBenchmarkOptions Benchmark { get; init => field = value ?? throw new ArgumentNullException(nameof(Benchmark)); } =
        new() { Heads = 4, Dim = 64, Repeats = 3, Warmup = 1 };

    /// <summary>The BlockSparse tile side to calibrate and later run with (default: the kernel's own default, 32).</summary>
    public int BlockSize { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BlockSize), value, $"the block size must be at least 1, got {value}."); } = new BlockSparseOptions().BlockSize;
}
