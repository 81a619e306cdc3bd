// Micro-benchmarks of Sieve (BenchmarkDotNet). Run: dotnet run -c Release --project bench/Sieve.Bench -- --filter '*'
// `-- layouts` prints the layout-building report (nnz/s, bytes/nnz) without BenchmarkDotNet.
using BenchmarkDotNet.Running;
using Sieve.Bench;

if (args is ["layouts", ..])
{
    LayoutReport.Run(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(LayoutBuildBenchmark).Assembly).Run(args);
