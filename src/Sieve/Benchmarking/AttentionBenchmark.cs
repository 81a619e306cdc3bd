// End-to-end timing of the kernels on one shape (DESIGN.md §5: ratios against a baseline measured in the same run),
// for `sieve bench attention` and `sieve bench calibrate`: forward and forward+backward medians, and peak extra memory.
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Benchmarking;

/// <summary>
/// One kernel's measurement: medians over the repeats in ms; <see cref="PeakBytes"/> is the peak resident memory above
/// the setup of a forward+backward, <see cref="ForwardPeakBytes"/> of a forward alone (null when not measured);
/// <see cref="ForwardChoice"/> and <see cref="TrainStepChoice"/> are what the auto
/// kernel ran (null for the other kernels).
/// </summary>
public sealed record AttentionBenchmarkResult(
    AttentionKernelKind Kernel, int Length, int Batch, int Heads, int Dim, string Pattern, double Density,
    double ForwardMs, double TrainStepMs, long? PeakBytes, AutoKernelChoice? ForwardChoice, AutoKernelChoice? TrainStepChoice)
{
    /// <summary>The peak extra bytes of a first forward on the layout under no_grad (inference); null when not measured.</summary>
    public long? ForwardPeakBytes { get; init; }

    /// <summary>The same for a repeated forward on the same layout (per-layout caches already built); null when not measured.</summary>
    public long? RepeatForwardPeakBytes { get; init; }

    /// <summary>A first forward's peak with freed memory returned to the system at once (no allocator retention); null when not measured.</summary>
    public long? ForwardLivePeakBytes { get; init; }

    /// <summary>The same for a forward+backward; null when not measured.</summary>
    public long? LivePeakBytes { get; init; }

    /// <summary>For Auto: the median time of one choice (costing every candidate), the overhead it adds to each call; else null.</summary>
    public double? ChoiceMs { get; init; }
}

/// <summary>Times kernels on random q, k, v [B, H, N, D] with one pattern shared by every example and head.</summary>
public static class AttentionBenchmark
{
    /// <summary>The layout the benchmark runs on: B full-length examples, heads sharing one map.</summary>
    public static AttentionLayout Layout(Pattern pattern, AttentionBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        var maps = Enumerable.Range(0, options.Batch)
            .Select(b => CsrLayout.Build(pattern, new PatternContext(options.Length) { Example = b, Seed = (ulong)options.Seed }))
            .ToArray();
        return new AttentionLayout(maps, options.Batch);
    }

    /// <summary>Allowed entries over N² (the mean over the batch's maps).</summary>
    public static double Density(AttentionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return layout.Nnz / ((double)layout.Batch * layout.Heads * layout.PaddedLength * layout.PaddedLength);
    }

    /// <summary>Times every kernel (no memory: see <see cref="MeasurePeakExtra"/>); progress names each step.</summary>
    public static IReadOnlyList<AttentionBenchmarkResult> Run(
        Pattern pattern, AttentionBenchmarkOptions options, IReadOnlyList<AttentionKernel> kernels, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernels);
        var layout = Layout(pattern, options);
        return Run(layout, pattern.ToString(), options, kernels, progress);
    }

    /// <summary>Times every kernel on a given layout (its batch and length override the options').</summary>
    public static IReadOnlyList<AttentionBenchmarkResult> Run(
        AttentionLayout layout, string patternName, AttentionBenchmarkOptions options, IReadOnlyList<AttentionKernel> kernels, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernels);
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs(layout.Batch, options.Heads, layout.PaddedLength, options.Dim, options.DType, options.Seed);
        double density = Density(layout);
        // Every kernel's warm-up before any timing: otherwise whichever kernel runs first pays for libtorch's thread
        // pool, the JIT and first-touch page faults (seen as 2-4× slower first entries on the 2-core machine).
        for (int w = 0; w < options.Warmup; w++)
        {
            foreach (var kernel in kernels)
            {
                progress?.Report($"N={layout.PaddedLength}: warming up {kernel.Kind}");
                Forward(kernel, q, k, v, layout);
                TrainStep(kernel, q, k, v, layout);
            }
        }
        // The kernels take turns within each round (BenchmarkTiming.Medians), forwards first, then training steps.
        string names = string.Join(", ", kernels.Select(kernel => kernel.Kind));
        progress?.Report($"N={layout.PaddedLength}: timing {options.Repeats} rounds of forwards of {names}");
        var forward = BenchmarkTiming.Medians(options.Repeats, [.. kernels.Select(kernel => (Action)(() => Forward(kernel, q, k, v, layout)))], options.MinTimeMs);
        var forwardChoices = kernels.Select(kernel => (kernel as AutoKernel)?.LastChoice).ToArray();
        progress?.Report($"N={layout.PaddedLength}: timing {options.Repeats} rounds of forward+backward of {names}");
        var train = BenchmarkTiming.Medians(options.Repeats, [.. kernels.Select(kernel => (Action)(() => TrainStep(kernel, q, k, v, layout)))], options.MinTimeMs);
        return [.. kernels.Select((kernel, i) => new AttentionBenchmarkResult(kernel.Kind, layout.PaddedLength, layout.Batch, options.Heads, options.Dim,
            patternName, density, forward[i], train[i], null, forwardChoices[i], (kernel as AutoKernel)?.LastChoice)
        {
            // The choice alone, many times over: microseconds, far below the noise of timing a whole call at N = 128.
            ChoiceMs = kernel is AutoKernel auto ? BenchmarkTiming.Median(101, () => auto.Choose(q, k, v, layout)) : null,
        })];
    }

    /// <summary>
    /// Peak resident bytes above the setup of one forward+backward of <paramref name="kernel"/> and, where the
    /// high-water mark can be reset, of the forward alone (under no_grad: inference; the output is part of it, the
    /// gradients of q, k, v are not) twice: the first call on the layout (which also builds what a kernel caches per
    /// layout, e.g. BlockSparse's plan) and a repeat of it (what every further layer that shares the batch's layout
    /// costs). Null where /proc/self/status is unavailable. Meant for a fresh process per kernel (the high-water mark
    /// only rises unless /proc/self/clear_refs can reset it). The setup is excluded: q, k, v, the layout, and the
    /// process's one-time costs, paid by running the kernel first on a tiny shape and then on the real shape with a
    /// layout of its own (thread pools, tiered JIT of the kernel's loops, the math library's buffers; the measured first
    /// call still builds its own layout's plan). Before each measurement the GC runs and the C heap's free pages go back
    /// to the system, so memory a call reuses from the warm-up counts as its own. The kernel's buffers and autograd state
    /// are counted.
    /// </summary>
    public static PeakExtraBytes MeasurePeakExtra(Pattern pattern, AttentionBenchmarkOptions options, AttentionKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernel);
        if (PeakMemory.HighWaterMark() is null) return PeakExtraBytes.Unknown;
        using var scope = NewDisposeScope();
        var (q, k, v) = Inputs(options.Batch, options.Heads, options.Length, options.Dim, options.DType, options.Seed);
        {
            using var warm = NewDisposeScope();
            var tiny = options with { Length = Math.Min(options.Length, 64), Batch = 1 };
            var tinyLayout = Layout(pattern, tiny);
            var (tq, tk, tv) = Inputs(1, options.Heads, tiny.Length, options.Dim, options.DType, options.Seed);
            Forward(kernel, tq, tk, tv, tinyLayout);
            TrainStep(kernel, tq, tk, tv, tinyLayout);
            var warmLayout = Layout(pattern, options);
            Forward(kernel, q, k, v, warmLayout);
            TrainStep(kernel, q, k, v, warmLayout);
        }
        var layout = Layout(pattern, options);
        return PeakExtraBytes.Measure(() => Forward(kernel, q, k, v, layout), () => TrainStep(kernel, q, k, v, layout));
    }

    private static (Tensor Q, Tensor K, Tensor V) Inputs(int batch, int heads, int length, int dim, ScalarType dtype, int seed)
    {
        var generator = new Generator((ulong)seed);
        var q = randn([batch, heads, length, dim], dtype: dtype, generator: generator);  // [B, H, N, D]
        var k = randn([batch, heads, length, dim], dtype: dtype, generator: generator);  // [B, H, N, D]
        var v = randn([batch, heads, length, dim], dtype: dtype, generator: generator);  // [B, H, N, D]
        return (q, k, v);
    }

    private static void Forward(AttentionKernel kernel, Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _ = kernel.Attend(q, k, v, layout);                                        // [B, H, N, D]
    }

    private static void TrainStep(AttentionKernel kernel, Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        using var scope = NewDisposeScope();
        var (qq, kk, vv) = (q.detach().requires_grad_(true), k.detach().requires_grad_(true), v.detach().requires_grad_(true));
        kernel.Attend(qq, kk, vv, layout).sum().backward();                        // [B, H, N, D] → scalar
    }
}
