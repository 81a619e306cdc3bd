// `sieve bench`: end-to-end timing and peak memory of every attention kernel on one shape (attention), and the per-machine
// calibration of the auto kernel's cost model (calibrate). DESIGN.md §5: ratios against Sdpa measured in the same run.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Benchmarking;
using Sieve.Kernels;
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;
using Spectre.Console;
using static TorchSharp.torch;

namespace Sieve.Cli;

/// <summary>Builds the <c>bench</c> command and its sub-commands.</summary>
internal static class BenchCommand
{
    private const string MeasureMemoryName = "--measure-memory";
    private const string MeasureVariantName = "--measure-variant-memory";

    public static Command Build()
    {
        var command = new Command("bench", "Measure the attention kernels and whole models (time and peak memory) and calibrate the auto kernel's cost model.");
        command.Subcommands.Add(Attention());
        command.Subcommands.Add(BenchModelCommand.Build());
        command.Subcommands.Add(Calibrate());
        return command;
    }

    private static Command Attention()
    {
        var lengths = new Option<string[]>("--n")
        {
            Description = "Sequence length N; repeat (--n 512 --n 1024) or give a comma list (--n 512,1024).",
            DefaultValueFactory = _ => ["1024"],
            Arity = ArgumentArity.OneOrMore,
        };
        var heads = new Option<int>("--heads") { Description = "Heads H.", DefaultValueFactory = _ => 12 };
        var dim = new Option<int>("--dim") { Description = "Head dimension D.", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Examples B (all of length N).", DefaultValueFactory = _ => 1 };
        var pattern = new Option<string>("--pattern") { Description = "The pattern spec (the one spec grammar; a fixed pattern, timed on the kernels), shared by every head.", DefaultValueFactory = _ => "local(64)+global(2)" };
        var kernels = new Option<string>("--kernels")
        {
            Description = "Comma list of kernels: reference, sdpa, blocksparse, csr, banded, auto; or all.",
            DefaultValueFactory = _ => "all",
        };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per kernel and mode; the median is reported.", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs of every kernel before any is timed.", DefaultValueFactory = _ => 1 };
        var minTime = new Option<double>("--min-time")
        {
            Description = "Keep timing rounds past --repeats until the fastest kernel has run this many ms in all (at most 50 × --repeats rounds); 0 (default) times exactly --repeats.",
        };
        var dtype = new Option<BenchDType>("--dtype") { Description = "float32 or float64.", DefaultValueFactory = _ => BenchDType.Float32 };
        var seed = new Option<int>("--seed") { Description = "Seed of q, k, v and of random patterns.", DefaultValueFactory = _ => 17 };
        var format = new Option<OutputFormat>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var noMemory = new Option<bool>("--no-memory") { Description = "Skip the peak-memory runs (one child process per kernel and length)." };
        var calibration = new Option<FileInfo?>("--calibration") { Description = $"The auto kernel's calibration file (default {AttentionCostModel.DefaultPath}, else the built-in model)." };
        var measureMemory = new Option<string?>(MeasureMemoryName) { Description = "Internal: measure one kernel's peak memory and print it as one JSON line.", Hidden = true };
        var variants = new Option<string[]>("--variants")
        {
            Description = "Attention variants to measure beside the kernels, as specs separated by ';' or repeated: " +
                "--variants \"linformer(k=256);entmax(alpha=1.5)\" (see docs/VARIANTS.md). Each is built for N with its initial parameters.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var suite = new Option<string?>("--suite")
        {
            Description = $"Run a fixed set of (pattern, N) cases instead of --pattern × --n, all in one table: {AttentionBenchmarkSuite.SparseKernelsName} " +
                $"(local(64)+global(2), bigbird_blocks(64,3), longformer(128,1,2) at N = 4096; local(2)+global(2) and a layout AAA learned on RTE at N = 128); {AttentionBenchmarkSuite.AutoName} " +
                "(the four fixed patterns at every N = 128, 256, …, 8192: where Auto's choices are checked).",
        };
        var measureVariant = new Option<string?>(MeasureVariantName) { Description = "Internal: measure one variant's peak memory and print it as one JSON line.", Hidden = true };
        var command = new Command("attention",
            "Time forward and forward+backward (median after warm-up) of every kernel on random q, k, v [B, H, N, D], and " +
            "measure each kernel's peak extra memory. Memory: each kernel runs in its own child process (this program with " +
            "the same arguments), which builds the inputs, warms the kernel up on a tiny shape and on the real shape with a " +
            "layout of its own, builds the measured layout, returns freed heap pages to the system, resets and reads its " +
            "resident high-water mark (VmHWM in /proc/self/status), runs a forward, the same forward again and one " +
            "forward+backward (each after a new reset), and reports peak − baseline of each; a second child does the same " +
            "with glibc returning every freed buffer to the system at once (the live peaks, without what the allocator " +
            "keeps); null where /proc is unavailable. Speedups are Sdpa's time over the kernel's.")
        {
            lengths, heads, dim, batch, pattern, kernels, repeats, warmup, minTime, dtype, seed, format, noMemory, calibration, measureMemory, variants, measureVariant, suite,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "bench", () =>
        {
            var ns = ParseLengths(parse.GetValue(lengths)!);
            var spec = AttentionSpec.Parse(parse.GetValue(pattern)!).RequirePattern("bench attention",
                "--pattern is timed on the kernels, so give a fixed pattern: an attention variant with --variants, a learnable pattern as the fixed pattern it learned (`sieve evaluate` reports it)");
            string? calibrationPath = parse.GetValue(calibration)?.FullName;
            var options = new AttentionBenchmarkOptions
            {
                Length = ns[0],
                Heads = Positive(parse.GetValue(heads), "--heads"),
                Dim = Positive(parse.GetValue(dim), "--dim"),
                Batch = Positive(parse.GetValue(batch), "--batch"),
                Repeats = Positive(parse.GetValue(repeats), "--repeats"),
                Warmup = parse.GetValue(warmup) >= 0 ? parse.GetValue(warmup) : throw new ArgumentException("--warmup must be at least 0."),
                MinTimeMs = parse.GetValue(minTime) >= 0 ? parse.GetValue(minTime) : throw new ArgumentException("--min-time must be at least 0 ms."),
                DType = parse.GetValue(dtype) == BenchDType.Float64 ? ScalarType.Float64 : ScalarType.Float32,
                Seed = parse.GetValue(seed),
            };
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(measureVariant) is string variantSpec)
            {
                long? bytes = VariantBenchmark.MeasurePeakExtraBytes(ParseVariant(variantSpec), options);
                output.WriteLine(MemoryChild.Serialize(new MemoryLine(variantSpec, options.Length, bytes, null)));
                return 0;
            }
            var variantOptions = ParseVariants(parse.GetValue(variants) ?? []);
            if (parse.GetValue(measureMemory) is string single)
            {
                var kernel = MakeKernel(ParseKernels(single).Single(), calibrationPath);
                var bytes = AttentionBenchmark.MeasurePeakExtra(spec, options, kernel);
                output.WriteLine(MemoryChild.Serialize(new MemoryLine(kernel.Kind.ToString(), options.Length, bytes.TrainStep, bytes.Forward) { RepeatForwardPeakBytes = bytes.RepeatForward }));
                return 0;
            }
            var kinds = ParseKernels(parse.GetValue(kernels)!);
            var instances = kinds.Select(kind => MakeKernel(kind, calibrationPath)).ToArray();
            var error = parse.InvocationConfiguration.Error;
            var progress = new WriterProgress(error);
            var rows = new List<BenchRow>();
            var cases = parse.GetValue(suite) is string suiteName
                ? AttentionBenchmarkSuite.Named(suiteName).Select(c => (Spec: PatternSpec.Parse(c.Pattern), N: c.Length)).ToArray()
                : ns.Select(n => (Spec: spec, N: n)).ToArray();
            foreach (var (caseSpec, n) in cases)
            {
                spec = caseSpec;
                var sized = options with { Length = n };
                var results = AttentionBenchmark.Run(spec, sized, instances, progress).ToList();
                if (!parse.GetValue(noMemory))
                {
                    for (int i = 0; i < results.Count; i++)
                    {
                        progress.Report($"N={n}: peak memory of {results[i].Kernel} (child process)");
                        var line = MeasureInChild([MeasureMemoryName, results[i].Kernel.ToString()], sized, spec.ToString(), parse.GetValue(dtype), calibrationPath, error);
                        progress.Report($"N={n}: live peak memory of {results[i].Kernel} (child process, freed memory returned at once)");
                        var live = MeasureInChild([MeasureMemoryName, results[i].Kernel.ToString()], sized, spec.ToString(), parse.GetValue(dtype), calibrationPath, error, returnFreedMemory: true);
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
                var measured = VariantBenchmark.Run(variantOptions, sized, progress).ToList();
                if (!parse.GetValue(noMemory))
                {
                    for (int i = 0; i < measured.Count; i++)
                    {
                        progress.Report($"N={n}: peak memory of {measured[i].Spec} (child process)");
                        measured[i] = measured[i] with { PeakBytes = MeasureInChild([MeasureVariantName, measured[i].Spec], sized, spec.ToString(), parse.GetValue(dtype), calibrationPath, error)?.PeakBytes };
                    }
                }
                rows.AddRange(Rows(results, measured, parse.GetValue(dtype)));
            }
            if (parse.GetValue(format) == OutputFormat.Json)
                output.WriteLine(JsonSerializer.Serialize(rows, CommandRunner.Json));
            else
                CommandRunner.PlainConsole(output, width: 300).Write(Table(rows));   // 18 columns: narrower would break cells
            return 0;
        }));
        return command;
    }

    private static Command Calibrate()
    {
        var outputFile = new Option<FileInfo?>("--output", "-o") { Description = $"Where to write the calibration (default {AttentionCostModel.DefaultPath}; $SIEVE_HOME sets the folder)." };
        var lengths = new Option<string[]>("--n")
        {
            Description = "Grid lengths N; repeat or comma list.",
            DefaultValueFactory = _ => ["128,256,512,1024,2048"],
            Arity = ArgumentArity.OneOrMore,
        };
        var densities = new Option<string>("--densities") { Description = "Grid densities as a comma list; each is a local(w)+global(2) window and BigBird blocks with random blocks to match.", DefaultValueFactory = _ => "0.02,0.08,0.3,0.5" };
        var heads = new Option<int>("--heads") { Description = "Heads H of every grid point (12, as the built-in models: Banded's cost per call grows with H).", DefaultValueFactory = _ => 12 };
        var dim = new Option<int>("--dim") { Description = "Head dimension D.", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per point; the median is fitted.", DefaultValueFactory = _ => 3 };
        var blockSize = new Option<int>("--block-size") { Description = "The BlockSparse tile side to calibrate and run with.", DefaultValueFactory = _ => new BlockSparseOptions().BlockSize };
        var command = new Command("calibrate",
            "Time Sdpa, BlockSparse, Banded and Csr on a grid of lengths × densities (float32; windows and BigBird blocks) and fit, per kernel, " +
            "forward and forward+backward time ≈ a + b·rows + c·work + d·masked work by non-negative least squares; the auto kernel reads the result.")
        {
            outputFile, lengths, densities, heads, dim, repeats, blockSize,
        };
        command.SetAction(parse => CommandRunner.Run(parse, "bench", () =>
        {
            var options = new AttentionCalibrationOptions
            {
                Lengths = ParseLengths(parse.GetValue(lengths)!),
                Densities = ParseDensities(parse.GetValue(densities)!),
                Benchmark = new AttentionBenchmarkOptions
                {
                    Heads = Positive(parse.GetValue(heads), "--heads"),
                    Dim = Positive(parse.GetValue(dim), "--dim"),
                    Repeats = Positive(parse.GetValue(repeats), "--repeats"),
                    Warmup = 1,
                },
                BlockSize = Positive(parse.GetValue(blockSize), "--block-size"),
            };
            string path = parse.GetValue(outputFile)?.FullName ?? AttentionCostModel.DefaultPath;
            var model = AttentionCalibration.Run(options, new WriterProgress(parse.InvocationConfiguration.Error));
            model.Save(path);
            var output = parse.InvocationConfiguration.Output;
            var table = new Table().AddColumns("kernel", "mode", "intercept ms", "ms per row", "ms per multiply-add", "ms per masked multiply-add");
            foreach (var (mode, lines) in new[] { ("forward", model.Forward), ("train step", model.TrainStep) })
            {
                foreach (var (kind, cost) in lines)
                    table.AddRow(kind.ToString(), mode, Text(cost.InterceptMs, "0.###"), Text(cost.PerRowMs, "0.###E+0"), Text(cost.PerWorkMs, "0.###E+0"), Text(cost.PerMaskedWorkMs, "0.###E+0"));
            }
            CommandRunner.PlainConsole(output).Write(table);
            output.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }

    // Runs this program again with the hidden option, so that the kernel's peak is the only thing in the child's VmHWM.
    private static MemoryLine? MeasureInChild(string[] what, AttentionBenchmarkOptions options, string spec, BenchDType dtype, string? calibration, TextWriter error,
        bool returnFreedMemory = false)
    {
        string[] args =
        [
            "bench", "attention", .. what, "--n", Text(options.Length), "--heads", Text(options.Heads),
            "--dim", Text(options.Dim), "--batch", Text(options.Batch), "--pattern", spec, "--dtype", dtype.ToString(), "--seed", Text(options.Seed),
            .. calibration is null ? Array.Empty<string>() : ["--calibration", calibration],
        ];
        return MemoryChild.Measure(args, $"{what[1]} at N={options.Length}", error, returnFreedMemory);
    }

    private static IEnumerable<BenchRow> Rows(IReadOnlyList<AttentionBenchmarkResult> results, IReadOnlyList<VariantBenchmarkResult> variants, BenchDType dtype)
    {
        var sdpa = results.FirstOrDefault(r => r.Kernel == AttentionKernelKind.Sdpa);
        foreach (var r in results)
        {
            yield return new BenchRow(r.Kernel.ToString(), r.Length, r.Batch, r.Heads, r.Dim, dtype.ToString().ToLowerInvariant(), r.Pattern, r.Density,
                r.ForwardMs, r.TrainStepMs, r.PeakBytes,
                sdpa is null ? null : sdpa.ForwardMs / r.ForwardMs,
                sdpa is null ? null : sdpa.TrainStepMs / r.TrainStepMs,
                Ratio(r.PeakBytes, sdpa?.PeakBytes),
                r.ForwardChoice?.Kernel.ToString(), r.TrainStepChoice?.Kernel.ToString())
            {
                AutoChoiceMs = r.ChoiceMs,
                ForwardPickVsFastest = PickVsFastest(results, r.ForwardChoice, x => x.ForwardMs),
                TrainPickVsFastest = PickVsFastest(results, r.TrainStepChoice, x => x.TrainStepMs),
                ForwardPeakBytes = r.ForwardPeakBytes,
                ForwardPeakVsSdpa = Ratio(r.ForwardPeakBytes, sdpa?.ForwardPeakBytes),
                RepeatForwardPeakBytes = r.RepeatForwardPeakBytes,
                RepeatForwardPeakVsSdpa = Ratio(r.RepeatForwardPeakBytes, sdpa?.RepeatForwardPeakBytes),
                ForwardLivePeakBytes = r.ForwardLivePeakBytes,
                ForwardLivePeakVsSdpa = Ratio(r.ForwardLivePeakBytes, sdpa?.ForwardLivePeakBytes),
                LivePeakBytes = r.LivePeakBytes,
                LivePeakVsSdpa = Ratio(r.LivePeakBytes, sdpa?.LivePeakBytes),
            };
        }
        // A variant is its own attention: no pattern and no density; its ratios are against the same run's Sdpa.
        foreach (var r in variants)
        {
            yield return new BenchRow(r.Spec, r.Length, r.Batch, r.Heads, r.Dim, dtype.ToString().ToLowerInvariant(), "(variant)", null,
                r.ForwardMs, r.TrainStepMs, r.PeakBytes,
                sdpa is null ? null : sdpa.ForwardMs / r.ForwardMs,
                sdpa is null ? null : sdpa.TrainStepMs / r.TrainStepMs,
                Ratio(r.PeakBytes, sdpa?.PeakBytes),
                null, null);
        }
    }

    // The time of the kernel Auto chose over the fastest other kernel, both as timed in the same rounds (Auto's own time
    // measures that kernel a second time, noise and all); null for other kernels or when the chosen one was not timed.
    private static double? PickVsFastest(IReadOnlyList<AttentionBenchmarkResult> results, AutoKernelChoice? choice, Func<AttentionBenchmarkResult, double> time)
    {
        var others = results.Where(r => r.Kernel != AttentionKernelKind.Auto).ToList();
        var picked = others.FirstOrDefault(r => r.Kernel == choice?.Kernel);
        return picked is null ? null : time(picked) / others.Min(time);
    }

    // A kernel's bytes over Sdpa's; null when either was not measured (or Sdpa's is 0).
    internal static double? Ratio(long? bytes, long? sdpaBytes) =>
        bytes is long value && sdpaBytes is long baseline && baseline > 0 ? (double)value / baseline : null;

    internal static VariantOptions[] ParseVariants(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Select(ParseVariant)];

    // One --variants entry in the one spec grammar: a single variant, which is built alone on random q, k, v.
    private static VariantOptions ParseVariant(string text)
    {
        var spec = AttentionSpec.Parse(text).Require("bench attention --variants", SpecForms.Variant, "give patterns with --pattern");
        return spec.Variant ?? throw new SpecException(text, 1, $"bench attention --variants times one variant on its own; give each of {spec} as its own entry, separated by ';'");
    }

    private static Table Table(IEnumerable<BenchRow> rows)
    {
        var table = new Table().AddColumns("kernel", "pattern", "N", "density", "forward ms", "× Sdpa", "train step ms", "× Sdpa", "fwd peak MiB", "/ Sdpa", "repeat fwd MiB", "/ Sdpa", "train peak MiB", "/ Sdpa", "live fwd MiB", "/ Sdpa", "auto chose", "pick ÷ fastest");
        foreach (var r in rows)
        {
            table.AddRow(r.Kernel, Markup.Escape(r.Pattern), Text(r.N), Text(r.Density, "0.0000"), Text(r.ForwardMs, "0.00"), Text(r.SpeedupVsSdpa, "0.00"),
                Text(r.TrainStepMs, "0.00"), Text(r.TrainSpeedupVsSdpa, "0.00"), r.ForwardPeakBytes is long f ? Text(f / 1048576.0, "0.0") : "n/a",
                Text(r.ForwardPeakVsSdpa, "0.000"), r.RepeatForwardPeakBytes is long rf ? Text(rf / 1048576.0, "0.0") : "n/a",
                Text(r.RepeatForwardPeakVsSdpa, "0.000"), r.PeakBytes is long b ? Text(b / 1048576.0, "0.0") : "n/a",
                Text(r.PeakVsSdpa, "0.000"), r.ForwardLivePeakBytes is long lf ? Text(lf / 1048576.0, "0.0") : "n/a", Text(r.ForwardLivePeakVsSdpa, "0.000"),
                r.ForwardChoice is null ? "" : $"{r.ForwardChoice} / {r.TrainStepChoice} (choice {Text(r.AutoChoiceMs * 1000, "0.0")} µs)",
                r.ForwardPickVsFastest is null ? "" : $"{Text(r.ForwardPickVsFastest, "0.00")} / {Text(r.TrainPickVsFastest, "0.00")}");
        }
        return table;
    }

    private static AttentionKernel MakeKernel(AttentionKernelKind kind, string? calibration) =>
        kind == AttentionKernelKind.Auto ? new AutoKernel(AttentionCostModel.LoadOrDefault(calibration)) : AttentionKernel.Create(kind);

    internal static int[] ParseLengths(IEnumerable<string> values)
    {
        var lengths = new List<int>();
        foreach (string item in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1)
                throw new ArgumentException($"--n must be whole numbers of at least 1, got '{item}'.");
            lengths.Add(n);
        }
        return lengths.Count > 0 ? [.. lengths] : throw new ArgumentException("--n needs at least one length.");
    }

    private static double[] ParseDensities(string text)
    {
        var values = new List<double>();
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !(d > 0 && d <= 1))
                throw new ArgumentException($"--densities must be numbers in (0, 1], got '{item}'.");
            values.Add(d);
        }
        return values.Count > 0 ? [.. values] : throw new ArgumentException("--densities needs at least one density.");
    }

    internal static AttentionKernelKind[] ParseKernels(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 1 && names[0].Equals("all", StringComparison.OrdinalIgnoreCase)) return Enum.GetValues<AttentionKernelKind>();
        var kinds = new List<AttentionKernelKind>();
        foreach (string name in names)
        {
            string plain = name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
            if (!Enum.TryParse<AttentionKernelKind>(plain, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || plain.Any(char.IsDigit))
                throw new ArgumentException($"unknown kernel '{name}'; choose from {string.Join(", ", Enum.GetNames<AttentionKernelKind>().Select(n => n.ToLowerInvariant()))} or all.");
            if (!kinds.Contains(kind)) kinds.Add(kind);
        }
        return kinds.Count > 0 ? [.. kinds] : throw new ArgumentException("--kernels needs at least one kernel.");
    }

    internal static int Positive(int value, string name) => value >= 1 ? value : throw new ArgumentException($"{name} must be at least 1, got {value}.");

    internal static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Text(double? value, string format) => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Reports each step at once on the writer (stderr), in order; Progress&lt;T&gt; would post to the thread pool.</summary>
    internal sealed class WriterProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"[bench] {value}");
    }

    /// <summary>Element type of <c>--dtype</c>.</summary>
    internal enum BenchDType
    {
        Float32,
        Float64,
    }

    /// <summary>One kernel at one length; the JSON field names are its camel-cased properties.</summary>
    internal sealed record BenchRow(string Kernel, int N, int Batch, int Heads, int Dim, string Dtype, string Pattern, double? Density,
        double ForwardMs, double TrainStepMs, long? PeakBytes, double? SpeedupVsSdpa, double? TrainSpeedupVsSdpa, double? PeakVsSdpa,
        string? ForwardChoice, string? TrainStepChoice)
    {
        /// <summary>For Auto: the median time of one choice, the overhead Auto adds to every call.</summary>
        public double? AutoChoiceMs { get; init; }

        /// <summary>For Auto: the forward time of the kernel it chose over the fastest timed kernel's (1 = the right choice).</summary>
        public double? ForwardPickVsFastest { get; init; }

        /// <summary>The same for the training step.</summary>
        public double? TrainPickVsFastest { get; init; }

        /// <summary>Peak extra bytes of a forward alone (inference, no_grad); null for variants and when not measured.</summary>
        public long? ForwardPeakBytes { get; init; }

        /// <summary><see cref="ForwardPeakBytes"/> over Sdpa's.</summary>
        public double? ForwardPeakVsSdpa { get; init; }

        /// <summary>Peak extra bytes of a repeated forward on the same layout: what each further layer sharing it costs.</summary>
        public long? RepeatForwardPeakBytes { get; init; }

        /// <summary><see cref="RepeatForwardPeakBytes"/> over Sdpa's.</summary>
        public double? RepeatForwardPeakVsSdpa { get; init; }

        /// <summary>
        /// A first forward's peak measured with freed memory returned to the system at once: what the call holds at its
        /// busiest moment, without what the allocator keeps from freed buffers.
        /// </summary>
        public long? ForwardLivePeakBytes { get; init; }

        /// <summary><see cref="ForwardLivePeakBytes"/> over Sdpa's.</summary>
        public double? ForwardLivePeakVsSdpa { get; init; }

        /// <summary>The same reading for a forward+backward.</summary>
        public long? LivePeakBytes { get; init; }

        /// <summary><see cref="LivePeakBytes"/> over Sdpa's.</summary>
        public double? LivePeakVsSdpa { get; init; }
    }
}
