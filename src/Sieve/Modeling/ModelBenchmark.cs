// End-to-end timing and peak memory of a whole BERT encoder (embeddings, every layer, pooler) with random weights:
// dense attention (the Sdpa kernel) against the sparse kernels under one pattern, measured the way AttentionBenchmark
// measures a single attention call (DESIGN.md §5: ratios against a baseline of the same run, warm-up first, medians).
using Sieve.Benchmarking;
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// Times a <see cref="BertModel"/> with its pooler on random token ids [B, N] (no padding) with every kernel. A model is
/// built per call with <see cref="ModelBenchmarkOptions.ModelConfig"/>; each kernel runs the same pattern, layouts built
/// per forward as in real use.
/// </summary>
public static class ModelBenchmark
{
    /// <summary>Times every kernel (no memory: see <see cref="MeasurePeakExtra"/>); progress names each step.</summary>
    public static IReadOnlyList<ModelBenchmarkResult> Run(
        Pattern pattern, ModelBenchmarkOptions options, IReadOnlyList<AttentionKernelKind> kernels, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernels);
        using var model = new BertModel(options.ModelConfig);
        using var scope = NewDisposeScope();
        var ids = InputIds(options, options.Length, options.Batch);               // [B, N]
        int n = options.Length;
        // Every kernel's warm-up before any timing, as AttentionBenchmark does: the first one would pay the process's
        // one-time costs otherwise.
        for (int w = 0; w < options.Warmup; w++)
        {
            foreach (var kind in kernels)
            {
                progress?.Report($"N={n}: warming up the model on {kind}");
                Use(model, pattern, kind, options);
                Forward(model, ids);
                TrainStep(model, ids);
            }
        }
        var results = new List<ModelBenchmarkResult>();
        foreach (var kind in kernels)
        {
            progress?.Report($"N={n}: timing the model on {kind} ({options.Repeats} forward, {options.Repeats} forward+backward)");
            Use(model, pattern, kind, options);
            var choices = new AutoChoices(model.Kernel as AutoKernel);
            double sparsity = 0;
            double forward = BenchmarkTiming.Median(options.Repeats, () => { choices.Clear(); sparsity = Forward(model, ids); });
            string? forwardChoices = choices.Summary;
            double density = 1 - sparsity;
            double train = BenchmarkTiming.Median(options.Repeats, () => { choices.Clear(); TrainStep(model, ids); });
            results.Add(new ModelBenchmarkResult(kind, n, options.Batch, pattern.ToString(), density, forward, train, forwardChoices, choices.Summary));
            choices.Detach();
        }
        return results;
    }

    /// <summary>
    /// Peak resident bytes above the setup of the model with <paramref name="kernel"/>: a first forward (evaluation mode,
    /// no_grad), a second one, and a forward+backward (training mode; the parameter gradients are part of it), as
    /// <see cref="PeakExtraBytes.Measure"/> reads them. The setup is excluded: the weights, the token ids, and the
    /// process's one-time costs, paid by running the model first on a tiny length and then on the real one, as
    /// <see cref="AttentionBenchmark.MeasurePeakExtra"/> does. Meant for a fresh process per kernel; null without /proc.
    /// </summary>
    public static PeakExtraBytes MeasurePeakExtra(Pattern pattern, ModelBenchmarkOptions options, AttentionKernelKind kernel)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(options);
        if (PeakMemory.HighWaterMark() is null) return PeakExtraBytes.Unknown;
        using var model = new BertModel(options.ModelConfig);
        Use(model, pattern, kernel, options);
        using var scope = NewDisposeScope();
        var ids = InputIds(options, options.Length, options.Batch);               // [B, N]
        {
            using var warm = NewDisposeScope();
            var tiny = InputIds(options, Math.Min(options.Length, 64), 1);        // [1, min(N, 64)]
            Forward(model, tiny);
            TrainStep(model, tiny);
            Forward(model, ids);
            TrainStep(model, ids);
        }
        return PeakExtraBytes.Measure(() => Forward(model, ids), () => TrainStep(model, ids));
    }

    private static void Use(BertModel model, Pattern pattern, AttentionKernelKind kernel, ModelBenchmarkOptions options) =>
        model.Attention = new AttentionSettings { Pattern = pattern, Kernel = kernel, Seed = (ulong)options.Seed };

    // Ids in [1, V): any token but padding's usual 0; the attention mask is all ones.
    private static Tensor InputIds(ModelBenchmarkOptions options, int length, int batch) =>
        randint(1, options.ModelConfig.VocabSize, [batch, length], dtype: ScalarType.Int64, generator: new Generator((ulong)options.Seed));   // [B, N]

    // An evaluation forward; returns ρ (Eq. 9) of the layouts it ran on.
    private static double Forward(BertModel model, Tensor ids)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.forward(ids).Attention.Sparsity;                              // [B, N, Hd], pooled [B, Hd]
    }

    // A training step without the optimiser: dropout on, every parameter's gradient from a loss that reaches the last
    // hidden state and the pooler; the gradients are dropped afterwards, so that each step allocates its own.
    private static void TrainStep(BertModel model, Tensor ids)
    {
        model.train();
        using var scope = NewDisposeScope();
        var output = model.forward(ids);
        var loss = output.LastHiddenState.sum().Plus(output.PoolerOutput!.sum());   // [B, N, Hd] and [B, Hd] → scalar
        loss.backward();
        model.zero_grad(set_to_none: true);
    }

    /// <summary>Collects what an auto kernel chose in one model call (one choice per layer); inert for other kernels.</summary>
    private sealed class AutoChoices
    {
        private readonly AutoKernel? _kernel;
        private readonly List<AttentionKernelKind> _made = [];

        public AutoChoices(AutoKernel? kernel)
        {
            _kernel = kernel;
            if (kernel is not null) kernel.Chose += Record;
        }

        /// <summary>"Csr" when every layer chose the same kernel, else e.g. "BlockSparse×4+Csr×2"; null for other kernels.</summary>
        public string? Summary
        {
            get
            {
                if (_kernel is null) return null;
                lock (_made)
                {
                    var counts = _made.GroupBy(k => k).OrderBy(g => g.Key).ToArray();
                    return counts.Length == 1 ? counts[0].Key.ToString() : string.Join("+", counts.Select(g => $"{g.Key}×{g.Count()}"));
                }
            }
        }

        public void Clear()
        {
            lock (_made) _made.Clear();
        }

        public void Detach()
        {
            if (_kernel is not null) _kernel.Chose -= Record;
        }

        private void Record(object? sender, AutoKernelChoice choice)
        {
            lock (_made) _made.Add(choice.Kernel);
        }
    }
}
