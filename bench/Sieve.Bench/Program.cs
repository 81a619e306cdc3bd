// Micro-benchmarks of Sieve (BenchmarkDotNet). Run: dotnet run -c Release --project bench/Sieve.Bench -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
