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
    /// A layout AAA learned: layer 0 of all-MiniLM-L6-v2 fine-tuned on RTE with <c>aaa(local=2)</c> at the ρ of
    /// local(2)+global(2) (one epoch, seed 42; docs/REPRODUCTIONS.md, Table 6's indication), hardened on the dev pair
    /// 244 cut to 128 wordpieces, as <c>sieve patterns show --model … --layer 0</c> printed it. The first layer is where
    /// that model kept its budget (26 % of the rows, 36 % of the columns selected; ρ 0.22 on this pair); its other
    /// layers are local(2) with a column or two, which local(2)+global(2) stands for.
    /// </summary>
    public const string LearnedAaaLayer0 =
        "axis(rows=[6,11,12,38,42,44,50,51,52,53,54,55,56,57,58,59,62,63,64,65,66,67,68,75,76,77,78,79,80,81," +
        "84,88,90,91,93,94,95,96,97,98,99,100,101,102,103,104,106,107,108,109,110,111,112,113,114,116,118," +
        "119,123,126],cols=[1,4,5,6,11,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,61,62,63," +
        "64,70,74,75,76,77,82,83,84,85,86,87,88,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106," +
        "107,108,109,110,111,112,113,114,117,118,119,120,122])+local(2)";

    /// <summary>
    /// local(64)+global(2), bigbird_blocks(64,3) and longformer(128,1,2) at N = 4096 (long documents), and
    /// local(2)+global(2) and the learned AAA layout <see cref="LearnedAaaLayer0"/> at N = 128 (GLUE length, where the
    /// dense kernel is the one to beat).
    /// </summary>
    public static IReadOnlyList<AttentionBenchmarkCase> SparseKernels { get; } =
    [
        new("local(64)+global(2)", 4096),
        new("bigbird_blocks(64,3)", 4096),
        new("longformer(128,1,2)", 4096),
        new("local(2)+global(2)", 128),
        new(LearnedAaaLayer0, 128),
    ];

    /// <summary>The name of the set that checks the auto kernel's choices.</summary>
    public const string AutoName = "auto";

    /// <summary>
    /// The four fixed patterns of <see cref="SparseKernels"/> at every N = 128, 256, …, 8192: the crossovers between Sdpa
    /// and the sparse kernels fall inside this range, and Auto should pick within 10 % of the fastest kernel at each. The
    /// learned layout is left out: it was learned at N = 128 and means nothing at other lengths. The cases run in rising
    /// N, every pattern at one length before the next length: run pattern by pattern, every pattern after the first
    /// timed its short cases right after an 8,192 case, and Sdpa's training steps at N = 256 and 512 ran up to twice as
    /// slow there (docs/BENCHMARKS.md, "Sdpa after a long case").
    /// </summary>
    public static IReadOnlyList<AttentionBenchmarkCase> Auto { get; } =
        [.. Enumerable.Range(7, 7).SelectMany(power => SparseKernels.Where(c => c.Pattern != LearnedAaaLayer0).Select(c => new AttentionBenchmarkCase(c.Pattern, 1 << power)))];

    /// <summary>The cases of the suite called <paramref name="name"/>; an unknown name says which exist.</summary>
    public static IReadOnlyList<AttentionBenchmarkCase> Named(string name) => name switch
    {
        SparseKernelsName => SparseKernels,
        AutoName => Auto,
        _ => throw new ArgumentException($"unknown benchmark suite '{name}'; the suites are: {SparseKernelsName}, {AutoName}.", nameof(name)),
    };
}
