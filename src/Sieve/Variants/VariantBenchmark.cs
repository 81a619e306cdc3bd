// End-to-end timing and peak memory of the attention variants on one shape, measured the way AttentionBenchmark
// measures the kernels (DESIGN.md §5: same inputs, warm-up before any timing, medians, peak memory in a fresh process).
using Sieve.Benchmarking;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// Times variants on random q, k, v [B, H, N, D] and hidden [B, N, H·D] without padding. Each variant is built for
/// maxLength = N with its initial parameters (an adaptive span therefore runs its initial, shortest span at inference).
/// </summary>
public static class VariantBenchmark
{
    /// <summary>Times every variant (no memory: see <see cref="MeasurePeakExtraBytes"/>); progress names each step.</summary>
    public static IReadOnlyList<VariantBenchmarkResult> Run(IReadOnlyList<VariantOptions> variants, AttentionBenchmarkOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        var inputs = Inputs(options, options.Length, options.Batch);
        var built = variants.Select(v => Build(v, options)).ToArray();
        try
        {
            for (int w = 0; w < options.Warmup; w++)
            {
                foreach (var variant in built)
                {
                    progress?.Report($"N={options.Length}: warming up {variant.Options}");
                    Forward(variant, inputs);
                    TrainStep(variant, inputs);
                }
            }
            var results = new List<VariantBenchmarkResult>();
            foreach (var variant in built)
            {
                progress?.Report($"N={options.Length}: timing {variant.Options} ({options.Repeats} forward, {options.Repeats} forward+backward)");
                double forward = BenchmarkTiming.Median(options.Repeats, () => Forward(variant, inputs));
                double train = BenchmarkTiming.Median(options.Repeats, () => TrainStep(variant, inputs));
                results.Add(new VariantBenchmarkResult(variant.Options.ToString()!, options.Length, options.Batch, options.Heads, options.Dim, forward, train, null));
            }
            return results;
        }
        finally
        {
            foreach (var variant in built) variant.Dispose();
        }
    }

    /// <summary>
    /// Peak resident bytes above the setup of one forward and one forward+backward of <paramref name="variant"/>, for a
    /// fresh process as <see cref="AttentionBenchmark.MeasurePeakExtra"/>: inputs, the variant's parameters and a
    /// warm-up on a tiny shape are the setup; null where /proc/self/status is unavailable.
    /// </summary>
    public static long? MeasurePeakExtraBytes(VariantOptions variant, AttentionBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(options);
        if (PeakMemory.HighWaterMark() is null) return null;
        using var scope = NewDisposeScope();
        using var built = Build(variant, options);
        {
            using var warm = NewDisposeScope();
            var tiny = Inputs(options, Math.Min(options.Length, 64), 1);
            Forward(built, tiny);
            TrainStep(built, tiny);
        }
        var inputs = Inputs(options, options.Length, options.Batch);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.TryReset();
        long? baseline = PeakMemory.HighWaterMark();
        Forward(built, inputs);
        TrainStep(built, inputs);
        long? peak = PeakMemory.HighWaterMark();
        return baseline is long b && peak is long p ? Math.Max(0, p - b) : null;
    }

    private sealed record BenchInputs(Tensor Q, Tensor K, Tensor V, Tensor Hidden, Tensor Padding);

    private static AttentionVariant Build(VariantOptions variant, AttentionBenchmarkOptions options) =>
        variant.Create(options.Heads, options.Dim, options.Heads * options.Dim, options.Length, dtype: options.DType);

    private static BenchInputs Inputs(AttentionBenchmarkOptions options, int length, int batch)
    {
        var generator = new Generator((ulong)options.Seed);
        var q = randn([batch, options.Heads, length, options.Dim], dtype: options.DType, generator: generator);   // [B, H, N, D]
        var k = randn([batch, options.Heads, length, options.Dim], dtype: options.DType, generator: generator);   // [B, H, N, D]
        var v = randn([batch, options.Heads, length, options.Dim], dtype: options.DType, generator: generator);   // [B, H, N, D]
        var hidden = randn([batch, length, options.Heads * options.Dim], dtype: options.DType, generator: generator);   // [B, N, H·D]
        var padding = ones([batch, length], dtype: ScalarType.Bool);                                             // [B, N]
        return new BenchInputs(q, k, v, hidden, padding);
    }

    private static void Forward(AttentionVariant variant, BenchInputs x)
    {
        variant.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _ = variant.Attend(x.Q, x.K, x.V, x.Hidden, x.Padding);                    // [B, H, N, D]
    }

    private static void TrainStep(AttentionVariant variant, BenchInputs x)
    {
        variant.train();
        using var scope = NewDisposeScope();
        var (q, k, v) = (x.Q.detach().requires_grad_(true), x.K.detach().requires_grad_(true), x.V.detach().requires_grad_(true));
        variant.Attend(q, k, v, x.Hidden, x.Padding).sum().backward();            // [B, H, N, D] → scalar
        variant.zero_grad(set_to_none: true);
    }
}
