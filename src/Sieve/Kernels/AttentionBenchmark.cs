// End-to-end timing of the kernels on one shape (DESIGN.md §5: ratios against a baseline measured in the same run),
// for `sieve bench attention`: forward time, forward+backward time and peak extra memory per kernel.
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>One kernel's measurement: medians over the repeats, peak resident bytes above the start of its run.</summary>
public sealed record AttentionBenchmarkResult(
    AttentionKernelKind Kernel, int Length, int Heads, int Dim, string Pattern, double Density,
    double ForwardMs, double TrainStepMs, long PeakBytes);

/// <summary>Times each kernel on random q, k, v [1, H, N, D] float32 with one pattern shared by every head.</summary>
public static class AttentionBenchmark
{
    public static IReadOnlyList<AttentionBenchmarkResult> Run(
        Pattern pattern, int length, int heads, int dim, IReadOnlyList<AttentionKernel> kernels, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        var layout = AttentionLayout.Build(pattern, [length], length);
        double density = (double)layout.Nnz / ((double)length * length);
        var results = new List<AttentionBenchmarkResult>();
        // One untimed pass of every kernel first: otherwise whichever kernel runs first pays for libtorch's thread
        // pool, the JIT and first-touch page faults (seen as 2-4× slower first entries on the 2-core machine).
        foreach (var kernel in kernels) Measure(kernel, layout, heads, dim, 1);
        foreach (var kernel in kernels)
        {
            var (forward, train, peak) = Measure(kernel, layout, heads, dim, repeats);
            results.Add(new AttentionBenchmarkResult(kernel.Kind, length, heads, dim, pattern.ToString(), density, forward, train, peak));
        }
        return results;
    }

    private static (double ForwardMs, double TrainStepMs, long PeakBytes) Measure(AttentionKernel kernel, AttentionLayout layout, int heads, int dim, int repeats)
    {
        int length = layout.PaddedLength;
        {
            using var scope = NewDisposeScope();
            var generator = new Generator(17);
            var q = randn([1, heads, length, dim], generator: generator);          // [1, H, N, D]
            var k = randn([1, heads, length, dim], generator: generator);          // [1, H, N, D]
            var v = randn([1, heads, length, dim], generator: generator);          // [1, H, N, D]
            long before = PeakMemory.Reset();
            double forward = Median(repeats + 1, () =>
            {
                using var noGrad = no_grad();
                using var inner = NewDisposeScope();
                _ = kernel.Attend(q, k, v, layout);                                // [1, H, N, D]
            });
            double train = Median(repeats + 1, () =>
            {
                using var inner = NewDisposeScope();
                var (qq, kk, vv) = (q.detach().requires_grad_(true), k.detach().requires_grad_(true), v.detach().requires_grad_(true));
                kernel.Attend(qq, kk, vv, layout).sum().backward();                // [1, H, N, D] → scalar
            });
            return (forward, train, PeakMemory.Read() - before);
        }
    }

    // The first run warms caches and thread pools and is dropped; the median of the rest is reported.
    private static double Median(int runs, Action action)
    {
        var times = new double[runs - 1];
        for (int r = 0; r < runs; r++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            action();
            if (r > 0) times[r - 1] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }
}
