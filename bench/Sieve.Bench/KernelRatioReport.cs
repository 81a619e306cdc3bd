// Interleaved timing of the attention kernels against Sdpa on one shape (DESIGN.md §5: ratios against a baseline
// measured in the same run), for tuning the sparse kernels. Run: dotnet run -c Release --project bench/Sieve.Bench -- kernels
using System.Globalization;
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Bench;

/// <summary>
/// Times Sdpa and the sparse kernels round-robin (every repeat runs each kernel once, so machine noise hits them alike)
/// and prints medians and the speed-up over Sdpa for the forward and forward+backward.
/// </summary>
public static class KernelRatioReport
{
    public static void Run(TextWriter output, string spec, IReadOnlyList<int> lengths, int heads = 12, int dim = 64, int repeats = 5, IReadOnlyList<int>? blockSizes = null)
    {
        var pattern = PatternSpec.Parse(spec);
        var kernels = new List<(string Name, AttentionKernel Kernel)> { ("Sdpa", new SdpaKernel()) };
        foreach (int b in blockSizes ?? [32, 64])
        {
            kernels.Add(($"BlockSparse(b={b})", new BlockSparseKernel(new BlockSparseOptions { BlockSize = b })));
            kernels.Add(($"Banded(b={b})", new BandedKernel(new BandedOptions { BlockSize = b })));
            // The band as torch products on strided windows, against the fused C# band above (BandedFusedBand).
            kernels.Add(($"Banded(b={b},torch)", new BandedKernel(new BandedOptions { BlockSize = b, FusedBand = false })));
            // The fused band in 256-bit tiles, against the 512-bit ones Banded runs where the CPU has AVX-512 (BandedWideTiles).
            kernels.Add(($"Banded(b={b},256-bit)", new BandedKernel(new BandedOptions { BlockSize = b, WideTiles = false })));
        }
        kernels.Add(("Csr", new CsrKernel()));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, torch threads {get_num_threads()}, {spec}, H = {heads}, D = {dim}, float32, batch 1, {repeats} repeats (medians)"));
        foreach (int n in lengths)
        {
            using var scope = NewDisposeScope();
            var layout = AttentionLayout.Build(pattern, [n], n);
            var generator = new Generator(17);
            var q = randn([1, heads, n, dim], generator: generator);               // [1, H, N, D]
            var k = randn([1, heads, n, dim], generator: generator);               // [1, H, N, D]
            var v = randn([1, heads, n, dim], generator: generator);               // [1, H, N, D]
            var forward = kernels.Select(_ => new List<double>()).ToArray();
            var train = kernels.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r <= repeats; r++)
            {
                for (int i = 0; i < kernels.Count; i++)
                {
                    var kernel = kernels[i].Kernel;
                    double f = BenchClock.Milliseconds(() =>
                    {
                        using var noGrad = no_grad();
                        using var inner = NewDisposeScope();
                        _ = kernel.Attend(q, k, v, layout);                        // [1, H, N, D]
                    });
                    double t = BenchClock.Milliseconds(() =>
                    {
                        using var inner = NewDisposeScope();
                        var (qq, kk, vv) = (q.detach().requires_grad_(true), k.detach().requires_grad_(true), v.detach().requires_grad_(true));
                        kernel.Attend(qq, kk, vv, layout).sum().backward();        // [1, H, N, D] → scalar
                    });
                    if (r == 0) continue;                                          // warm-up round
                    forward[i].Add(f);
                    train[i].Add(t);
                }
            }
            double sdpaF = Median(forward[0]), sdpaT = Median(train[0]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N = {n}"));
            for (int i = 0; i < kernels.Count; i++)
            {
                double f = Median(forward[i]), t = Median(train[i]);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {kernels[i].Name,-22} fwd {f,8:0.0} ms ({sdpaF / f,5:0.00}×)   fwd+bwd {t,8:0.0} ms ({sdpaT / t,5:0.00}×)"));
            }
            // Peak memory needs one process per kernel: `sieve bench attention` measures it that way.
        }
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
