// Micro-benchmarks of Sieve (BenchmarkDotNet). Run: dotnet run -c Release --project bench/Sieve.Bench -- --filter '*'
// `-- layouts` prints the layout-building report (nnz/s, bytes/nnz) without BenchmarkDotNet;
// `-- kernels [N ...] [--repeats R] [--blocks b,b] [--threads T] [--pattern SPEC]` times the attention kernels against
// Sdpa, interleaved (default pattern local(64)+global(2));
// `-- banded-profile [--threads T]` times the Banded backward's steps one by one (BandedBackwardProfile.cs);
// `-- flop-limit [N] [--rounds R]` times Banded's forward against the FLOP limit of its entries (FlopLimitReport.cs);
// `-- linear [M] [--rounds R] [--hidden H]` times the linear layers' products, torch's against the 512-bit tiles (LinearReport.cs);
// `-- model-memory N KERNEL [bert-base|minilm] [PATTERN]` prints where an encoder's inference memory peaks (run it with
// MALLOC_MMAP_THRESHOLD_=65536 for live peaks).
using BenchmarkDotNet.Running;
using Sieve.Bench;
using Sieve.Runtime;

// As the sieve command does (Runtime/NativeHeap.cs); SIEVE_NATIVE_HEAP=default measures glibc's own behaviour.
NativeHeap.KeepFreedBuffers();

if (args is ["layouts", ..])
{
    LayoutReport.Run(Console.Out);
    return;
}
if (args is ["kernels", .. var rest])
{
    int repeats = 5;
    int[] blocks = [32, 64];
    string pattern = "local(64)+global(2)";
    var lengths = new List<int>();
    for (int i = 0; i < rest.Length; i++)
    {
        if (rest[i] == "--repeats") repeats = int.Parse(rest[++i], System.Globalization.CultureInfo.InvariantCulture);
        else if (rest[i] == "--threads") TorchSharp.torch.set_num_threads(int.Parse(rest[++i], System.Globalization.CultureInfo.InvariantCulture));
        else if (rest[i] == "--pattern") pattern = rest[++i];
        else if (rest[i] == "--blocks") blocks = [.. rest[++i].Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture))];
        else lengths.Add(int.Parse(rest[i], System.Globalization.CultureInfo.InvariantCulture));
    }
    KernelRatioReport.Run(Console.Out, pattern, lengths.Count > 0 ? lengths : [1024, 4096, 8192], repeats: repeats, blockSizes: blocks);
    return;
}
if (args is ["banded-profile", .. var profileArgs])
{
    if (profileArgs is ["--threads", var threads]) TorchSharp.torch.set_num_threads(int.Parse(threads, System.Globalization.CultureInfo.InvariantCulture));
    BandedBackwardProfile.Run(Console.Out);
    return;
}
if (args is ["flop-limit", .. var limitArgs])
{
    int limitLength = 4096, rounds = 40;
    for (int i = 0; i < limitArgs.Length; i++)
    {
        if (limitArgs[i] == "--rounds") rounds = int.Parse(limitArgs[++i], System.Globalization.CultureInfo.InvariantCulture);
        else limitLength = int.Parse(limitArgs[i], System.Globalization.CultureInfo.InvariantCulture);
    }
    FlopLimitReport.Run(Console.Out, limitLength, rounds);
    return;
}
if (args is ["linear", .. var linearArgs])
{
    int rows = 4096, linearRounds = 9, hidden = 768;
    for (int i = 0; i < linearArgs.Length; i++)
    {
        if (linearArgs[i] == "--rounds") linearRounds = int.Parse(linearArgs[++i], System.Globalization.CultureInfo.InvariantCulture);
        else if (linearArgs[i] == "--hidden") hidden = int.Parse(linearArgs[++i], System.Globalization.CultureInfo.InvariantCulture);
        else rows = int.Parse(linearArgs[i], System.Globalization.CultureInfo.InvariantCulture);
    }
    LinearReport.Run(Console.Out, rows, linearRounds, hidden);
    return;
}
if (args is ["model-memory", var length, var kernel, .. var more])
{
    var preset = more.Length > 0 ? more[0] : "bert-base";
    var shape = Sieve.Modeling.BertShapes.Presets.Single(p => p.Name == preset).Config;
    ModelMemoryProfile.Run(Console.Out, shape, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture),
        Enum.Parse<Sieve.Kernels.AttentionKernelKind>(kernel, ignoreCase: true), more.Length > 1 ? more[1] : "local(64)+global(2)");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(LayoutBuildBenchmark).Assembly).Run(args);
