// Where the Banded kernel's backward spends its time: its per-chunk steps replicated one by one on the shapes of
// local(64)+global(2) at N = 4,096 (b = 16, L = 144, 12 heads), each step timed alone (CPU ops are synchronous) and
// summed over heads and chunks; the minimum of several passes is kept. Run: dotnet run -c Release --project
// bench/Sieve.Bench -- banded-profile [--threads T]
using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Sieve.Bench;

/// <summary>Prints the Banded backward's steps with their time, share and (for the products) GFLOP/s.</summary>
public static class BandedBackwardProfile
{
    public static void Run(TextWriter output, int n = 4096, int heads = 12, int dim = 64, int block = 16, int windowBlocks = 9, int passes = 5)
    {
        int window = block * windowBlocks, blocks = n / block;
        int perChunk = Math.Min(blocks, (1 << 18) / (block * (window + 2)));
        var generator = new Generator(5);
        using var scope = NewDisposeScope();
        long paddedKeys = (blocks - 1 + windowBlocks) * (long)block;
        var q = randn([n, dim], generator: generator);                             // one head's padded queries [N, D]
        var k = randn([paddedKeys, dim], generator: generator);                    // padded keys [(nb−1+m)·b, D]
        var v = randn([paddedKeys, dim], generator: generator);
        var go = randn([n, dim], generator: generator);                            // output gradient [N, D]
        var lse = randn([n, 1], generator: generator).add_(10.0);                  // [N, 1]
        var delta = randn([n, 1], generator: generator);                           // [N, 1]
        var bias = zeros([1, block, window]);                                      // the band's inside [1, b, L]
        var best = new Dictionary<string, double>();
        var order = new List<string>();
        for (int pass = 0; pass <= passes; pass++)
        {
            var times = new Dictionary<string, double>();
            void Step(string name, Action action)
            {
                var watch = Stopwatch.StartNew();
                action();
                times[name] = times.GetValueOrDefault(name) + watch.Elapsed.TotalMilliseconds;
                if (!order.Contains(name)) order.Add(name);
            }
            for (int h = 0; h < heads; h++)
            {
                using var headScope = NewDisposeScope();
                var dkp = zeros([paddedKeys, dim]);
                var dvp = zeros([paddedKeys, dim]);
                var dq = zeros([n, dim]);
                for (int first = 0; first < blocks; first += perChunk)
                {
                    using var inner = NewDisposeScope();
                    int c = Math.Min(perChunk, blocks - first);
                    long row = (long)first * block, rows = (long)c * block;
                    Tensor qc = null!, s = null!, dv = null!, ds = null!, dqc = null!, dk = null!;
                    var kw = k.narrow(0, row, (c - 1 + windowBlocks) * (long)block).as_strided([c, window, dim], [block * dim, dim, 1], k.storage_offset() + (row * dim));
                    var vw = v.narrow(0, row, (c - 1 + windowBlocks) * (long)block).as_strided([c, window, dim], [block * dim, dim, 1], v.storage_offset() + (row * dim));
                    var dog3 = go.narrow(0, row, rows).view(c, block, dim);
                    Step("queries: scaled copy", () => qc = q.narrow(0, row, rows).mul(0.125).view(c, block, dim));
                    Step("scores bmm  [C,b,D]·[C,D,L]", () => s = qc.bmm(kw.transpose(1, 2)));
                    Step("scores: bias add", () => s.add_(bias));
                    Step("probabilities: sub lse, exp", () => s.sub_(lse.narrow(0, row, rows).view(c, block, 1)).exp_());
                    Step("dV bmm      [C,L,b]·[C,b,D]", () => dv = s.transpose(1, 2).bmm(dog3));
                    Step("dV: add windows to keys", () => AddWindows(dvp, dv, first, c, block, windowBlocks));
                    Step("dP bmm      [C,b,D]·[C,D,L]", () => ds = dog3.bmm(vw.transpose(1, 2)));
                    Step("dS: sub delta, mul P", () => ds.sub_(delta.narrow(0, row, rows).view(c, block, 1)).mul_(s));
                    Step("dQ bmm      [C,b,L]·[C,L,D]", () => dqc = ds.bmm(kw));
                    Step("dQ: add into rows", () => dq.narrow(0, row, rows).add_(dqc.view(-1, dim), 0.125));
                    Step("dK bmm      [C,L,b]·[C,b,D]", () => dk = ds.transpose(1, 2).bmm(qc));
                    Step("dK: add windows to keys", () => AddWindows(dkp, dk, first, c, block, windowBlocks));
                }
            }
            if (pass == 0) continue;                                               // warm-up
            foreach (var (name, ms) in times) best[name] = Math.Min(best.GetValueOrDefault(name, double.MaxValue), ms);
        }
        double total = best.Values.Sum();
        double flopsPerProduct = 2.0 * heads * n * window * dim;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Banded backward steps, N = {n}, b = {block}, L = {window}, {heads} heads, chunks of {perChunk} blocks, torch threads {get_num_threads()}, minimum of {passes} passes"));
        foreach (var name in order)
        {
            string rate = name.Contains("bmm", StringComparison.Ordinal) ? string.Create(CultureInfo.InvariantCulture, $"  {flopsPerProduct / best[name] / 1e6,6:F1} GFLOP/s") : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-32} {best[name],7:F1} ms  {100 * best[name] / total,4:F0} %{rate}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-32} {total,7:F1} ms"));
    }

    private static void AddWindows(Tensor padded, Tensor windows, int first, int count, int block, int windowBlocks)
    {
        var blocks = padded.view(-1, block, padded.shape[1]);
        var parts = windows.view(count, windowBlocks, block, padded.shape[1]);
        for (int j = 0; j < windowBlocks; j++) blocks.narrow(0, first + j, count).add_(parts.select(1, j));
    }
}
