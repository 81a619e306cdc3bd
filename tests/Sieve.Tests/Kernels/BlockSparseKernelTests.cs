// The code paths of the BlockSparse kernel that the agreement tests do not single out: heads sharing one layout (the
// tile indices copied per head), groups made only of full tiles (no mask), batches with different lengths, per-head
// layouts, and the per-layout plan cache (reused, keyed by tile size, head copies and dtype).
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

public sealed class BlockSparseKernelTests
{
    [Theory]
    [InlineData("local(2)+global(1)", 37, 4)]
    [InlineData("local(2)+global(1)", 64, 16)]
    [InlineData("full", 32, 16)]
    [InlineData("local(5)&global(3)", 20, 8)]
    [InlineData("local(4)-local(1)", 50, 64)]
    public void SharedHeadLayout_DifferentLengths_MatchesReference(string pattern, int n, int blockSize)
    {
        // One layout per example, shared by three heads; the second example is shorter, so its tail rows are padding.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(KernelTestData.Pattern(pattern), [n, n - 7], n);
        var (q, k, v, up) = Inputs(batch: 2, heads: 3, n, ScalarType.Float64);
        AssertAgrees(new BlockSparseKernel(new BlockSparseOptions { BlockSize = blockSize }), layout, q, k, v, up, 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(300)]
    public void SmallChunks_SplitGroupsAcrossCalls_MatchReference(int chunkEntries)
    {
        // b = 4: a chunk of 1 or 100 scores takes one query block (16·T entries) or a few; 300 spans several rows.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(KernelTestData.Pattern("local(2)+global(1)"), [41, 35], 41);
        var (q, k, v, up) = Inputs(batch: 2, heads: 3, 41, ScalarType.Float64);
        AssertAgrees(new BlockSparseKernel(new BlockSparseOptions { BlockSize = 4, ChunkEntries = chunkEntries }), layout, q, k, v, up, 1e-9);
    }

    [Fact]
    public void PerHeadLayouts_ThreeExamples_MatchReference()
    {
        // Every (example, head) has its own map: the irregular pattern differs per head, lengths differ per example.
        using var scope = NewDisposeScope();
        int[] lengths = [29, 17, 1];
        var maps = new List<CsrLayout>();
        foreach (int length in lengths)
        {
            for (int head = 0; head < 2; head++)
                maps.Add(CsrLayout.Build(KernelTestData.Pattern("irregular"), new PatternContext(length) { PaddedLength = 29, Head = head }, EmptyRowPolicy.Keep));
        }
        var layout = new AttentionLayout(maps, 3, 2);
        var (q, k, v, up) = Inputs(batch: 3, heads: 2, 29, ScalarType.Float32);
        AssertAgrees(new BlockSparseKernel(new BlockSparseOptions { BlockSize = 8 }), layout, q, k, v, up, 1e-5);
    }

    [Fact]
    public void FullTiles_GetNoMask_PartialTilesDo()
    {
        // full over N = 32 with b = 16: both tiles of every block row allow every pair, so no group needs a mask;
        // local(1) with b = 4 has partial off-diagonal tiles, so its groups do.
        var full = AttentionLayout.Build(new FullPattern(), [32], 32);
        var plan = BlockSparsePlan.For(full, 16, 2, ScalarType.Float32, CPU);
        var group = Assert.Single(plan.Groups);
        Assert.Equal(2, group.Tiles);
        Assert.Null(group.Disallowed);
        Assert.Null(group.RowHasKey);
        var local = AttentionLayout.Build(new LocalPattern(1), [32], 32);
        Assert.All(BlockSparsePlan.For(local, 4, 1, ScalarType.Float32, CPU).Groups, g => Assert.NotNull(g.Disallowed));
    }

    [Fact]
    public void Plan_IsBuiltOncePerLayoutAndKey()
    {
        var layout = AttentionLayout.Build(new LocalPattern(3), [40], 40);
        var plan = BlockSparsePlan.For(layout, 8, 4, ScalarType.Float32, CPU);
        Assert.Same(plan, BlockSparsePlan.For(layout, 8, 4, ScalarType.Float32, CPU));
        Assert.NotSame(plan, BlockSparsePlan.For(layout, 16, 4, ScalarType.Float32, CPU));
        Assert.NotSame(plan, BlockSparsePlan.For(layout, 8, 2, ScalarType.Float32, CPU));
        Assert.NotSame(plan, BlockSparsePlan.For(layout, 8, 4, ScalarType.Float64, CPU));
        // Tile counts: rows 0..7 reach key blocks 0-1, the middle blocks three, the last block two.
        Assert.Equal([2, 3], plan.Groups.Select(g => g.Tiles));
        Assert.Equal(5, plan.Groups.Sum(g => g.Rows));
    }

    [Fact]
    public void CachedPlan_ReusedAcrossCallsHeadCountsAndDtypes_StaysExact()
    {
        // The same layout object serves calls with 2 and then 4 heads, in float64 and float32, under dispose scopes
        // that must not free the cached tensors.
        var layout = AttentionLayout.Build(new LocalPattern(2) + new GlobalPattern(1), [45, 30], 45);
        var kernel = new BlockSparseKernel(new BlockSparseOptions { BlockSize = 16 });
        foreach (var (heads, dtype, tolerance) in new[] { (2, ScalarType.Float64, 1e-9), (4, ScalarType.Float64, 1e-9), (2, ScalarType.Float32, 1e-5), (2, ScalarType.Float64, 1e-9) })
        {
            using var scope = NewDisposeScope();
            var (q, k, v, up) = Inputs(batch: 2, heads, 45, dtype);
            AssertAgrees(kernel, layout, q, k, v, up, tolerance);
        }
    }

    private static (Tensor Q, Tensor K, Tensor V, Tensor Up) Inputs(int batch, int heads, int n, ScalarType dtype, int dim = 8)
    {
        var generator = new Generator(11);
        Tensor Make() => randn([batch, heads, n, dim], dtype: dtype, generator: generator);
        return (Make(), Make(), Make(), Make());
    }

    private static void AssertAgrees(AttentionKernel kernel, AttentionLayout layout, Tensor q, Tensor k, Tensor v, Tensor up, double tolerance)
    {
        var expected = Run(new ReferenceKernel(), layout, q, k, v, up);
        var actual = Run(kernel, layout, q, k, v, up);
        string[] names = ["output", "dQ", "dK", "dV"];
        for (int i = 0; i < names.Length; i++)
        {
            double error = actual[i].sub(expected[i]).abs().max().item<double>();
            Assert.True(error <= tolerance, $"{names[i]} differs by {error:E2}");
        }
        // Without gradients the kernel skips its autograd node: the same output.
        using (no_grad())
        {
            double error = kernel.Attend(q, k, v, layout).to(ScalarType.Float64).sub(expected[0]).abs().max().item<double>();
            Assert.True(error <= tolerance, $"the no-grad output differs by {error:E2}");
        }
    }

    private static Tensor[] Run(AttentionKernel kernel, AttentionLayout layout, Tensor q0, Tensor k0, Tensor v0, Tensor up)
    {
        var (q, k, v) = (q0.detach().requires_grad_(true), k0.detach().requires_grad_(true), v0.detach().requires_grad_(true));
        var output = kernel.Attend(q, k, v, layout);                              // [B, H, N, D]
        output.mul(up).sum().backward();
        return [output.detach().to(ScalarType.Float64), q.grad!.to(ScalarType.Float64), k.grad!.to(ScalarType.Float64), v.grad!.to(ScalarType.Float64)];
    }
}
