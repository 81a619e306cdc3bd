// The grid `sieve bench calibrate` measures the kernels on (AttentionCalibration): lengths × densities of
// local(w)+global(2) and of BigBird blocks.
using Sieve.Kernels;

namespace Sieve.Benchmarking;

/// <summary>Immutable settings of <see cref="AttentionCalibration"/>; the defaults take about two minutes on 2 cores.</summary>
public sealed record AttentionCalibrationOptions
{
    /// <summary>Sequence lengths N of the grid (default 128, 256, 512, 1024, 2048: GLUE lengths up to where the sparse kernels lead).</summary>
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
    } = [128, 256, 512, 1024, 2048];

    /// <summary>Target densities of the grid, each made by a local(w)+global(2) window with (2w+1)/N ≈ density and by BigBird blocks of 2b with random blocks to match (default 0.02, 0.08, 0.3, 0.5: the densest where the sparse kernels cross Sdpa at N ≈ 256).</summary>
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
    } = [0.02, 0.08, 0.3, 0.5];

    /// <summary>
    /// The benchmark shape and timing of each grid point (default H = 12, D = 64, 3 repeats, 1 warm-up, float32). Twelve
    /// heads, as in every built-in model: Banded loops over heads, so its fixed cost per call grows with H, and a fit at
    /// H = 4 put Banded's training step at N = 256 at a third of its time at H = 12 (Auto then chose it over a 2.7× faster Sdpa).
    /// </summary>
    public AttentionBenchmarkOptions Benchmark { get; init => field = value ?? throw new ArgumentNullException(nameof(Benchmark)); } =
        new() { Heads = 12, Dim = 64, Repeats = 3, Warmup = 1 };

    /// <summary>The BlockSparse tile side to calibrate and later run with (default: the kernel's own default, 32).</summary>
    public int BlockSize { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BlockSize), value, $"the block size must be at least 1, got {value}."); } = new BlockSparseOptions().BlockSize;
}
