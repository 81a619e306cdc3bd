// Where a whole encoder's inference memory peaks at long N: the live peak of each piece of a forward (embeddings, one
// layer's attention sublayer, its feed-forward sublayer, the self-attention alone, the kernel alone) above what was
// resident before it. Run with MALLOC_MMAP_THRESHOLD_=65536 so that glibc returns every large buffer at once and the
// resident high-water mark is the live peak (docs/BENCHMARKS.md explains the two kinds of peak).
using Sieve.Benchmarking;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Bench;

/// <summary>The per-piece peak memory of one inference forward of a random-weight encoder (B = 1).</summary>
public static class ModelMemoryProfile
{
    private const double Mebibyte = 1 << 20;

    public static void Run(TextWriter output, BertConfig shape, int length, AttentionKernelKind kernel, string pattern)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(shape);
        if (PeakMemory.HighWaterMark() is null)
        {
            output.WriteLine("no /proc/self/status here: the resident high-water mark cannot be read.");
            return;
        }
        var config = shape with { MaxPositionEmbeddings = Math.Max(shape.MaxPositionEmbeddings, length), Sieve = null };
        using var model = new BertModel(config);
        model.Attention = new AttentionSettings { Pattern = PatternSpec.Parse(pattern), Kernel = kernel };
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = randint(1, config.VocabSize, [1, length], dtype: ScalarType.Int64, generator: new Generator(17));   // [1, N]
        output.WriteLine($"{config.NumHiddenLayers} layers, hidden {config.HiddenSize}, {config.NumAttentionHeads} heads, N = {length}, {kernel} on {pattern}");
        // Two forwards first: the process's one-time costs (thread pools, the kernel's plan) stay out of every peak.
        for (int warm = 0; warm < 2; warm++)
        {
            using var warmScope = NewDisposeScope();
            model.forward(ids);
        }
        Measure(output, "whole forward", () => model.forward(ids));
        Tensor embedded = null!;
        Measure(output, "embeddings", () => embedded = model.Embeddings.forward(ids, zeros_like(ids)).MoveToOuterDisposeScope());
        using var plan = AttentionPlan.Build(model, embedded, ones_like(ids), null, ids);
        // Layer 1, not 0: from the second layer on, the encoder holds the layer's input and nothing from before it.
        int index = Math.Min(1, config.NumHiddenLayers - 1);
        var layer = model.Encoder.Layers[index];
        var attention = plan.For(index, embedded);
        // This plan's layouts are new: one untimed call builds the kernel's plan for them, which no piece should count.
        using (NewDisposeScope()) layer.Attend(embedded, attention);
        Tensor attended = null!;
        Measure(output, "attention sublayer (its input held)", () => attended = layer.Attend(embedded, attention).MoveToOuterDisposeScope());
        Measure(output, "feed-forward sublayer (its input held)", () => layer.FeedForward(attended));
        Measure(output, "self-attention alone", () => layer.Attention.Self.forward(embedded, attention));
        long[] heads = [1, config.NumAttentionHeads, length, config.HeadSize];
        var (q, k, v) = (randn(heads), randn(heads), randn(heads));                // [1, H, N, D] each, held
        Measure(output, "kernel alone (q, k, v held)", () => attention.Attend(layer.Attention.Self, q, k, v, embedded));
    }

    // Peak resident bytes of one call above the resident size before it (PeakExtraBytes.Of), and what it still holds
    // once its own dispose scope has freed what it made and the heap's free pages went back.
    private static void Measure(TextWriter output, string piece, Action run)
    {
        // The same clean-up as PeakExtraBytes.Of's, so that the "held after" reading starts from the same point.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.TryReleaseFreeHeap();
        long before = PeakMemory.Resident()!.Value;
        long? peak = PeakExtraBytes.Of(() =>
        {
            using var scope = NewDisposeScope();
            run();
        });
        PeakMemory.TryReleaseFreeHeap();
        long after = PeakMemory.Resident()!.Value;
        string peakText = peak is long bytes ? $"{bytes / Mebibyte,7:F1} MiB" : "    n/a";
        output.WriteLine($"{piece,-40} peak {peakText}   held after {(after - before) / Mebibyte,7:F1} MiB");
    }
}
