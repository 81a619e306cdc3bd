// The fixed benchmark set of the sparse kernels (`sieve bench attention --suite sparse-kernels`): the patterns a
// Python user would run with HF BigBird block-sparse or Longformer sliding chunks, at the lengths they are used at.
namespace Sieve.Benchmarking;

/// <summary>One case of a benchmark suite: a pattern spec at one length.</summary>
public sealed record AttentionBenchmarkCase(string Pattern, int Length);

/// <summary>The named benchmark suites of <c>sieve bench attention --suite</c>.</summary>
public static class AttentionBenchmarkSuite
{
    /// <summary>The name of the sparse-kernel set.</summary>
    public const string SparseKernelsName = "sparse-kernels";

    /// <summary>
    /// local(64)+global(2), bigbird_blocks(64,3) and longformer(128,1,2) at N = 4096 (long documents), and
    /// local(2)+global(2) at N = 128 (GLUE length, where the dense kernel is the one to beat).
    /// </summary>
    public static IReadOnlyList<AttentionBenchmarkCase> SparseKernels { get; } =
    [
        new("local(64)+global(2)", 4096),
        new("bigbird_blocks(64,3)", 4096),
        new("longformer(128,1,2)", 4096),
        new("local(2)+global(2)", 128),
    ];

    /// <summary>The name of the set that checks the auto kernel's choices.</summary>
    public const string AutoName = "auto";

    /// <summary>
    /// The four patterns of <see cref="SparseKernels"/> at every N = 128, 256, …, 8192: the crossovers between Sdpa and
    /// the sparse kernels fall inside this range, and Auto should pick within 10 % of the fastest kernel at each.
    /// </summary>
    public static IReadOnlyList<AttentionBenchmarkCase> Auto { get; } =
        [.. SparseKernels.Select(c => c.Pattern).SelectMany(pattern => Enumerable.Range(7, 7).Select(power => new AttentionBenchmarkCase(pattern, 1 << power)))];

    /// <summary>The cases of the suite called <paramref name="name"/>; an unknown name says which exist.</summary>
    public static IReadOnlyList<AttentionBenchmarkCase> Named(string name) => name switch
    {
        SparseKernelsName => SparseKernels,
        AutoName => Auto,
        _ => throw new ArgumentException($"unknown benchmark suite '{name}'; the suites are: {SparseKernelsName}, {AutoName}.", nameof(name)),
    };
}
