// Banded's forward against the FLOP limit of its pattern's allowed entries (issue 15: within 2× of it), with the
// limit's matrix-product rate measured in the same run: a 1024² `mm` on the same threads, alternating with the kernel,
// since the machine's rate moves between sessions (177–183 GFLOP/s on one day, 101–142 on another).
// Run: dotnet bench/Sieve.Bench/bin/Release/net10.0/Sieve.Bench.dll flop-limit [N] [--rounds R]
using System.Globalization;
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Bench;

/// <summary>
/// Times Banded's forward with the fused band and with the torch band, and ten 1024² products, round by round on
/// `local(64)+global(2)` (H = 12, D = 64, float32, batch 1); prints the medians and each forward over the limit
/// 4·H·nnz·D / rate.
/// </summary>
public static class FlopLimitReport
{
    public static void Run(TextWriter output, int n = 4096, int rounds = 40)
    {
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse("local(64)+global(2)"), [n], n);
        long nnz = 0;
        for (int row = 0; row < n; row++) nnz += layout[0, 0].Row(row).Length;
        double flops = 4.0 * 12 * nnz * 64;
        var generator = new Generator(3);
        var q = randn([1, 12, n, 64], generator: generator);                       // [1, H, N, D]
        var k = randn([1, 12, n, 64], generator: generator);                       // [1, H, N, D]
        var v = randn([1, 12, n, 64], generator: generator);                       // [1, H, N, D]
        var a = randn([1024, 1024], generator: generator);
        var b = randn([1024, 1024], generator: generator);
        (string Name, BandedKernel Kernel)[] kernels = [("fused band", new BandedKernel()), ("fused, 256-bit", new BandedKernel(new BandedOptions { WideTiles = false })),
            ("torch band", new BandedKernel(new BandedOptions { FusedBand = false }))];
        var times = new Dictionary<string, List<double>>();
        using var noGrad = no_grad();
        for (int round = 0; round <= rounds; round++)
        {
            var sample = new List<(string, double)>();
            foreach (var (name, kernel) in kernels)
                sample.Add(($"{name} forward ms", BenchClock.Milliseconds(() => kernel.Attend(q, k, v, layout).Dispose())));
            double rate = 10 * 2.0 * 1024 * 1024 * 1024 / BenchClock.Milliseconds(() => { for (int i = 0; i < 10; i++) a.mm(b).Dispose(); }) / 1e6;   // GFLOP/s
            double limit = flops / rate / 1e6;                                     // ms
            sample.Add(("1024² mm GFLOP/s", rate));
            sample.Add(("FLOP limit ms", limit));
            foreach (var (name, _) in kernels) sample.Add(($"{name} / limit", sample.First(s => s.Item1 == $"{name} forward ms").Item2 / limit));
            if (round == 0) continue;                                              // warm-up round
            foreach (var (name, value) in sample)
            {
                if (!times.TryGetValue(name, out var list)) times[name] = list = [];
                list.Add(value);
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"local(64)+global(2), N = {n}, H = 12, D = 64: nnz {nnz}, 4·H·nnz·D = {flops / 1e9:F3} GFLOP; torch threads {get_num_threads()}, {rounds} rounds after a warm-up"));
        foreach (var (name, list) in times)
        {
            list.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} median {list[list.Count / 2],8:0.00}   min {list[0],8:0.00}   max {list[^1],8:0.00}"));
        }
    }
}
