// `sieve bench model` (issue 14): time and peak memory of a whole random-weight BERT (embeddings, every layer, pooler)
// at long N, dense attention (Sdpa) against the sparse kernels under one pattern; the memory runs are child processes,
// read exactly as `sieve bench attention` reads them (MemoryChild, PeakExtraBytes.Measure).
using System.CommandLine;
using System.Text.Json;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Specs;
using Spectre.Console;
using static Sieve.Cli.BenchCommand;

namespace Sieve.Cli;

/// <summary>Builds the <c>bench model</c> command.</summary>
internal static class BenchModelCommand
{
    private const string MeasureMemoryName = "--measure-memory";

    public static Command Build()
    {
        var lengths = new Option<string[]>("--n")
        {
            Description = "Sequence length N; repeat (--n 512 --n 1024) or give a comma list (--n 512,1024). max_position_embeddings is raised to the largest.",
            DefaultValueFactory = _ => ["512"],
            Arity = ArgumentArity.OneOrMore,
        };
        var preset = new Option<string>("--preset")
        {
            Description = $"The model's shape: {string.Join(" or ", BertShapes.Presets.Select(p => p.Name))} (bert-base: 12 layers, hidden 768, 12 heads, intermediate 3072; minilm: 6, 384, 12, 1536).",
            DefaultValueFactory = _ => "bert-base",
        };
        var config = new Option<FileInfo?>("--config") { Description = "An HF config.json whose shape to use instead of --preset (its saved attention is ignored)." };
        var batch = new Option<int>("--batch") { Description = "Examples B (all of length N).", DefaultValueFactory = _ => 1 };
        var pattern = new Option<string>("--pattern") { Description = "The pattern spec of every layer (a fixed pattern; schedules allowed).", DefaultValueFactory = _ => "local(64)+global(2)" };
        var kernels = new Option<string>("--kernels")
        {
            Description = "Comma list of kernels: sdpa (the dense baseline), blocksparse, csr, banded, auto, reference; or all. Reference holds [B, H, N, N] scores per layer: slow and large at long N.",
            DefaultValueFactory = _ => "sdpa,blocksparse,csr,auto",
        };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per kernel and mode; the median is reported.", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs of every kernel before any is timed.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the token ids and of random patterns.", DefaultValueFactory = _ => 17 };
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var noMemory = new Option<bool>("--no-memory") { Description = "Skip the peak-memory runs (two child processes per kernel and length)." };
        var measureMemory = new Option<string?>(MeasureMemoryName) { Description = "Internal: measure one kernel's peak memory and print it as one JSON line.", Hidden = true };
        var command = new Command("model",
            "Time a whole BERT encoder with random weights (embeddings, every layer, pooler) on random token ids [B, N]: a " +
            "forward (evaluation mode, no_grad) and a forward+backward (training mode, every parameter's gradient), median " +
            "after warm-up, on Sdpa (dense) and each sparse kernel under the same pattern. Peak memory as in `bench attention`: " +
            "each kernel runs in its own child process, which warms the model up on a tiny and on the real length, resets its " +
            "resident high-water mark (VmHWM) and reports peak − baseline of a forward, a second forward and a forward+backward, " +
            "and again with freed memory returned to the system at once (live peaks); null where /proc is unavailable. " +
            "Speedups are Sdpa's time over the kernel's, memory ratios the kernel's peak over Sdpa's. The linear layers run " +
            "on Sieve's 512-bit products where the CPU has AVX-512 (linearProducts in the JSON; SIEVE_LINEAR=torch for torch's).")
        {
            lengths, preset, config, batch, pattern, kernels, repeats, warmup, seed, format, noMemory, measureMemory,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "bench", () =>
        {
            var ns = ParseLengths(parse.GetValue(lengths)!);
            var spec = ParsePattern(parse.GetValue(pattern)!);
            var (shapeName, shape) = Shape(parse.GetValue(preset)!, parse.GetValue(config));
            var options = new ModelBenchmarkOptions
            {
                Config = shape,
                Length = ns[0],
                Batch = Positive(parse.GetValue(batch), "--batch"),
                Repeats = Positive(parse.GetValue(repeats), "--repeats"),
                Warmup = parse.GetValue(warmup) >= 0 ? parse.GetValue(warmup) : throw new ArgumentException("--warmup must be at least 0."),
                Seed = parse.GetValue(seed),
            };
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(measureMemory) is string single)
            {
                var kind = ParseKernels(single).Single();
                var bytes = ModelBenchmark.MeasurePeakExtra(spec, options, kind);
                output.WriteLine(MemoryChild.Serialize(new MemoryLine(kind.ToString(), options.Length, bytes.TrainStep, bytes.Forward) { RepeatForwardPeakBytes = bytes.RepeatForward }));
                return 0;
            }
            var kinds = ParseKernels(parse.GetValue(kernels)!);
            var error = parse.InvocationConfiguration.Error;
            var progress = new WriterProgress(error);
            var rows = new List<ModelBenchRow>();
            foreach (int n in ns)
            {
                var sized = options with { Length = n };
                var results = ModelBenchmark.Run(spec, sized, kinds, progress).ToList();
                if (!parse.GetValue(noMemory))
                {
                    string[] childArgs = ChildArguments(sized, spec, parse.GetValue(preset)!, parse.GetValue(config));
                    for (int i = 0; i < results.Count; i++)
                    {
                        string kind = results[i].Kernel.ToString();
                        progress.Report($"N={n}: peak memory of the model on {kind} (child process)");
                        var line = MemoryChild.Measure([.. childArgs, MeasureMemoryName, kind], $"the model on {kind} at N={n}", error);
                        progress.Report($"N={n}: live peak memory of the model on {kind} (child process, freed memory returned at once)");
                        var live = MemoryChild.Measure([.. childArgs, MeasureMemoryName, kind], $"the model on {kind} at N={n}", error, returnFreedMemory: true);
                        results[i] = results[i] with
                        {
                            PeakBytes = line?.PeakBytes,
                            ForwardPeakBytes = line?.ForwardPeakBytes,
                            RepeatForwardPeakBytes = line?.RepeatForwardPeakBytes,
                            ForwardLivePeakBytes = live?.ForwardPeakBytes,
                            LivePeakBytes = live?.PeakBytes,
                        };
                    }
                }
                rows.AddRange(Rows(results, shapeName, sized.ModelConfig));
            }
            if (parse.GetValue(format) == OutputFormat.Json)
                output.WriteLine(JsonSerializer.Serialize(rows, CommandRunner.Json));
            else
                CommandRunner.PlainConsole(output, width: 240).Write(Table(rows));
            return 0;
        }));
        return command;
    }

    // A learnable pattern has no layout of its own: it trains with its gates as a dense [B, H, N, N] bias on Sdpa and runs
    // sparse only once hardened from trained weights, which a random-weight model does not have.
    private static Pattern ParsePattern(string text)
    {
        var spec = AttentionSpec.Parse(text);
        if (spec.Learnable is not null)
            throw new ArgumentException(
                $"--pattern '{text}' is a learnable pattern: it has no fixed layout to time (it trains with its gates as a dense N × N bias on Sdpa, " +
                "and what it hardens to depends on trained weights). Fine-tune it, then benchmark the pattern it learned (`sieve evaluate` reports it) as a fixed spec.");
        return spec.RequirePattern("bench model", "the benchmark times the kernels under a fixed pattern; time an attention variant with `sieve bench attention --variants`");
    }

    // The shape and the name rows carry: the config file's path, else the preset's name.
    private static (string Name, BertConfig Config) Shape(string preset, FileInfo? config)
    {
        if (config is not null) return (config.Name, BertConfig.Load(config.FullName));
        return BertShapes.Find(preset) is { } found
            ? (preset.ToLowerInvariant(), found)
            : throw new ArgumentException($"unknown preset '{preset}'; choose {string.Join(" or ", BertShapes.Presets.Select(p => p.Name))}, or give --config config.json.");
    }

    // The child measures what the parent times: the same shape (preset or file), length, batch, pattern and seed.
    private static string[] ChildArguments(ModelBenchmarkOptions options, Pattern spec, string preset, FileInfo? config) =>
    [
        "bench", "model", "--n", Text(options.Length), "--batch", Text(options.Batch), "--pattern", spec.ToString(), "--seed", Text(options.Seed),
        .. config is null ? ["--preset", preset] : new[] { "--config", config.FullName },
    ];

    private static IEnumerable<ModelBenchRow> Rows(IReadOnlyList<ModelBenchmarkResult> results, string shapeName, BertConfig config)
    {
        var sdpa = results.FirstOrDefault(r => r.Kernel == AttentionKernelKind.Sdpa);
        foreach (var r in results)
        {
            yield return new ModelBenchRow(r.Kernel.ToString(), shapeName, config.NumHiddenLayers, config.HiddenSize, config.NumAttentionHeads,
                config.IntermediateSize, r.Length, r.Batch, r.Pattern, r.Density, r.ForwardMs, r.TrainStepMs,
                sdpa is null ? null : sdpa.ForwardMs / r.ForwardMs, sdpa is null ? null : sdpa.TrainStepMs / r.TrainStepMs,
                r.ForwardChoices, r.TrainStepChoices)
            {
                LinearProducts = WideLinear.Enabled ? "512-bit" : "torch",
                ForwardPeakBytes = r.ForwardPeakBytes,
                ForwardPeakVsSdpa = Ratio(r.ForwardPeakBytes, sdpa?.ForwardPeakBytes),
                RepeatForwardPeakBytes = r.RepeatForwardPeakBytes,
                RepeatForwardPeakVsSdpa = Ratio(r.RepeatForwardPeakBytes, sdpa?.RepeatForwardPeakBytes),
                PeakBytes = r.PeakBytes,
                PeakVsSdpa = Ratio(r.PeakBytes, sdpa?.PeakBytes),
                ForwardLivePeakBytes = r.ForwardLivePeakBytes,
                ForwardLivePeakVsSdpa = Ratio(r.ForwardLivePeakBytes, sdpa?.ForwardLivePeakBytes),
                LivePeakBytes = r.LivePeakBytes,
                LivePeakVsSdpa = Ratio(r.LivePeakBytes, sdpa?.LivePeakBytes),
            };
        }
    }

    private static Table Table(IEnumerable<ModelBenchRow> rows)
    {
        var table = new Table().AddColumns("kernel", "model", "N", "density", "forward ms", "× Sdpa", "train step ms", "× Sdpa",
            "fwd peak MiB", "/ Sdpa", "train peak MiB", "/ Sdpa", "live fwd MiB", "/ Sdpa", "live train MiB", "/ Sdpa", "auto chose (fwd / train)");
        foreach (var r in rows)
        {
            table.AddRow(r.Kernel, r.Model, Text(r.N), Text(r.Density, "0.0000"), Text(r.ForwardMs, "0.0"), Text(r.SpeedupVsSdpa, "0.00"),
                Text(r.TrainStepMs, "0.0"), Text(r.TrainSpeedupVsSdpa, "0.00"), MiB(r.ForwardPeakBytes), Text(r.ForwardPeakVsSdpa, "0.000"),
                MiB(r.PeakBytes), Text(r.PeakVsSdpa, "0.000"), MiB(r.ForwardLivePeakBytes), Text(r.ForwardLivePeakVsSdpa, "0.000"),
                MiB(r.LivePeakBytes), Text(r.LivePeakVsSdpa, "0.000"), r.ForwardChoices is null ? "" : $"{r.ForwardChoices} / {r.TrainStepChoices}");
        }
        return table;
    }

    private static string MiB(long? bytes) => bytes is long b ? Text(b / 1048576.0, "0.0") : "n/a";

    /// <summary>One kernel at one length; the JSON field names are its camel-cased properties.</summary>
    internal sealed record ModelBenchRow(string Kernel, string Model, int Layers, int Hidden, int Heads, int Intermediate, int N, int Batch,
        string Pattern, double Density, double ForwardMs, double TrainStepMs, double? SpeedupVsSdpa, double? TrainSpeedupVsSdpa,
        string? ForwardChoices, string? TrainStepChoices)
    {
        /// <summary>What ran the linear layers: "512-bit" (Sieve's products, Modeling/WideLinear) or "torch".</summary>
        public string LinearProducts { get; init; } = "torch";

        /// <summary>Peak extra bytes of a first forward (evaluation mode, no_grad); null when not measured.</summary>
        public long? ForwardPeakBytes { get; init; }

        /// <summary><see cref="ForwardPeakBytes"/> over Sdpa's.</summary>
        public double? ForwardPeakVsSdpa { get; init; }

        /// <summary>Peak extra bytes of a second forward; null when not measured.</summary>
        public long? RepeatForwardPeakBytes { get; init; }

        /// <summary><see cref="RepeatForwardPeakBytes"/> over Sdpa's.</summary>
        public double? RepeatForwardPeakVsSdpa { get; init; }

        /// <summary>Peak extra bytes of a forward+backward, parameter gradients included; null when not measured.</summary>
        public long? PeakBytes { get; init; }

        /// <summary><see cref="PeakBytes"/> over Sdpa's.</summary>
        public double? PeakVsSdpa { get; init; }

        /// <summary>A first forward's peak with freed memory returned to the system at once (no allocator retention).</summary>
        public long? ForwardLivePeakBytes { get; init; }

        /// <summary><see cref="ForwardLivePeakBytes"/> over Sdpa's.</summary>
        public double? ForwardLivePeakVsSdpa { get; init; }

        /// <summary>The same reading for a forward+backward.</summary>
        public long? LivePeakBytes { get; init; }

        /// <summary><see cref="LivePeakBytes"/> over Sdpa's.</summary>
        public double? LivePeakVsSdpa { get; init; }
    }
}
