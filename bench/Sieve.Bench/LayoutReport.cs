// A plain Stopwatch report of layout building in the units docs/BENCHMARKS.md quotes: nnz per second and bytes
// allocated per allowed entry. Run: dotnet run -c Release --project bench/Sieve.Bench -- layouts
using System.Diagnostics;
using System.Globalization;
using Sieve.Patterns;

namespace Sieve.Bench;

/// <summary>Times PatternLayouts.BuildAll for the benchmark shapes and prints nnz/s and bytes/nnz.</summary>
public static class LayoutReport
{
    /// <summary>The specs measured.</summary>
    public static readonly string[] Specs = ["local(64)+global(2)", "local(64)+global(2)+random(2)"];

    public static Pattern PatternOf(string spec) => PatternSpec.Parse(spec);

    public static void Run(TextWriter output, int repeats = 5)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, .NET {Environment.Version}, N = {LayoutBuildBenchmark.Length}, {LayoutBuildBenchmark.Heads} heads"));
        foreach (string spec in Specs)
        {
            var pattern = PatternOf(spec);
            var context = new PatternContext(LayoutBuildBenchmark.Length);
            PatternLayouts.BuildAll(pattern, context, 1, LayoutBuildBenchmark.Heads); // warm-up: JIT and page faults
            double best = double.MaxValue;
            long bytes = 0, nnz = 0;
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                GC.Collect();
                long before = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                var layouts = PatternLayouts.BuildAll(pattern, context, 1, LayoutBuildBenchmark.Heads);
                watch.Stop();
                bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
                nnz = layouts.Sum(layout => layout.Nnz);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{spec,-28} nnz {nnz,12:N0}  best {best * 1000,8:F1} ms  {nnz / best / 1e6,8:F1} M nnz/s  {bytes / (double)nnz,5:F2} bytes/nnz"));
        }
    }
}
