// The code paths of the Banded kernel that the agreement tests do not single out: the split of a layout into window,
// global rows and global columns; heads sharing one layout; per-head layouts; chunks smaller than a head; dilated and
// Longformer windows; and the layouts it does not split (they run on BlockSparse), all against the reference kernel.
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

public sealed class BandedKernelTests
{
    [Fact]
    public void LocalPlusGlobal_SplitsIntoWindowGlobalRowsAndGlobalColumns()
    {
        // local(8)+global(2) at N = 128, b = 8: rows of block r need key blocks r−1..r+1; rows 0-1 are global rows,
        // keys 0-1 the global columns (outside the window of every row from 24 on).
        var layout = AttentionLayout.Build(new LocalPattern(8) + new GlobalPattern(2), [128], 128);
        var split = BandedSplit.For(layout, 8, new BandedOptions().MaxGlobalShare);
        Assert.True(split.Applicable);
        Assert.Equal(1, split.BlocksBefore);
        Assert.Equal(3, split.WindowBlocks);
        Assert.Equal([0, 1], split.GlobalRows[0]);
        Assert.Equal([0, 1], split.GlobalColumns[0]);
    }

    [Theory]
    [InlineData("local(8)+global(2)", 100, 8)]
    [InlineData("local(8)+global(2)", 96, 16)]
    [InlineData("local(3)", 41, 4)]
    [InlineData("longformer(8,2,1)", 77, 4)]
    [InlineData("dilated(3,2)+global(1)", 64, 8)]
    [InlineData("local(4)-local(1)", 50, 8)]
    [InlineData("global(2)", 40, 8)]
    public void SharedHeadLayout_DifferentLengths_IsBandedAndMatchesReference(string spec, int n, int blockSize)
    {
        // One layout per example, shared by three heads; the second example is shorter, so its tail rows are padding.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse(spec), [n, n - 7], n);
        var kernel = new BandedKernel(new BandedOptions { BlockSize = blockSize });
        Assert.True(kernel.Handles(layout), $"{spec} should split into a band and a small dense part");
        var (q, k, v, up) = Inputs(batch: 2, heads: 3, n, ScalarType.Float64);
        AssertAgrees(kernel, layout, q, k, v, up, 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(700)]
    public void SmallChunks_SplitHeadsAcrossCalls_MatchReference(int chunkEntries)
    {
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(new LocalPattern(5) + new GlobalPattern(1), [61, 50], 61);
        var (q, k, v, up) = Inputs(batch: 2, heads: 2, 61, ScalarType.Float64);
        AssertAgrees(new BandedKernel(new BandedOptions { BlockSize = 4, ChunkEntries = chunkEntries }), layout, q, k, v, up, 1e-9);
    }

    [Fact]
    public void PerHeadLayouts_DifferentWindowsAndGlobals_MatchReference()
    {
        // Head 0: local(2)+global(1); head 1: local(6)+global(3), so the maps have different global rows and columns.
        using var scope = NewDisposeScope();
        Pattern[] heads = [new LocalPattern(2) + new GlobalPattern(1), new LocalPattern(6) + new GlobalPattern(3)];
        var maps = new List<CsrLayout>();
        foreach (int length in new[] { 70, 45 })
        {
            foreach (var pattern in heads)
                maps.Add(CsrLayout.Build(pattern, new PatternContext(length) { PaddedLength = 70 }, EmptyRowPolicy.Keep));
        }
        var layout = new AttentionLayout(maps, 2, 2);
        var kernel = new BandedKernel(new BandedOptions { BlockSize = 8 });
        Assert.True(kernel.Handles(layout));
        var (q, k, v, up) = Inputs(batch: 2, heads: 2, 70, ScalarType.Float32);
        AssertAgrees(kernel, layout, q, k, v, up, 1e-5);
    }

    [Fact]
    public void ScatteredKeys_AreNotBanded_AndStillMatchReferenceThroughBlockSparse()
    {
        // bigbird_blocks adds random key blocks to every middle row: far more global columns than the dense part takes.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse("bigbird_blocks(4,2)"), [64], 64);
        var kernel = new BandedKernel(new BandedOptions { BlockSize = 4 });
        Assert.False(kernel.Handles(layout));
        var (q, k, v, up) = Inputs(batch: 1, heads: 2, 64, ScalarType.Float64);
        AssertAgrees(kernel, layout, q, k, v, up, 1e-9);
    }

    [Theory]
    [InlineData("local(8)+global(2)", 100, 8, 16)]
    [InlineData("local(8)+global(2)", 96, 16, 32)]
    [InlineData("local(3)", 41, 8, 16)]
    [InlineData("longformer(8,2,1)", 77, 8, 16)]
    [InlineData("dilated(3,2)+global(1)", 64, 8, 64)]
    [InlineData("local(4)-local(1)", 50, 8, 16)]
    [InlineData("global(2)", 40, 8, 16)]
    [InlineData("local(64)+global(2)", 300, 16, 64)]
    public void FusedBand_Float32_MatchesReferenceAndTheTorchPath(string spec, int n, int blockSize, int dim)
    {
        // float32 with D a multiple of 16 runs the band fused (BandedFusedBand), including the second, shorter example's
        // padding rows (no key) and the last block's rows past N; the torch path (FusedBand = false) computes the same.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse(spec), [n, n - 7], n);
        var fused = new BandedKernel(new BandedOptions { BlockSize = blockSize });
        var (q, k, v, up) = Inputs(batch: 2, heads: 3, n, ScalarType.Float32, dim);
        Assert.True(BandedFusedBand.Applies(q, BandedSplit.For(layout, blockSize, fused.Options.MaxGlobalShare)), "the fused band should run");
        AssertAgrees(fused, layout, q, k, v, up, 2e-5);
        using var noGrad = no_grad();
        var torchPath = new BandedKernel(new BandedOptions { BlockSize = blockSize, FusedBand = false }).Attend(q, k, v, layout);
        double error = fused.Attend(q, k, v, layout).sub(torchPath).abs().max().item<float>();
        Assert.True(error <= 2e-6, $"the fused band differs from the torch path by {error:E2}");
    }

    [Theory]
    [InlineData("local(8)+global(2)", 1100, 8, 16)]
    [InlineData("local(300)+global(1)", 1100, 8, 16)]
    [InlineData("local(8)+global(2)", 2100, 16, 32)]
    public void FusedBackward_SeveralWorkItemsPerHead_MatchesReference(string spec, int n, int blockSize, int dim)
    {
        // 138 query blocks of 8: three work items of 64 blocks per head, whose windows share keys at their borders (the
        // backward adds them in two rounds); with a window of 600+ keys an item grows to a window's length (two per head).
        // Blocks of 16 with D = 32 run the 512-bit tiles where the CPU has them (132 blocks: three items again).
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse(spec), [n], n);
        var (q, k, v, up) = Inputs(batch: 1, heads: 2, n, ScalarType.Float32, dim);
        AssertAgrees(new BandedKernel(new BandedOptions { BlockSize = blockSize }), layout, q, k, v, up, 2e-5);
    }

    [Theory]
    [InlineData("local(8)+global(2)", 100, 16, 32)]
    [InlineData("local(64)+global(2)", 300, 16, 64)]
    [InlineData("dilated(3,2)+global(1)", 200, 32, 32)]
    [InlineData("local(20)", 61, 16, 96)]
    public void WideTiles_MatchTheNarrowTilesAndTheReference(string spec, int n, int blockSize, int dim)
    {
        // Blocks a multiple of 16 and D a multiple of 32: on a CPU with AVX-512 the fused band runs 512-bit tiles
        // (BandedWideTiles), whose windows end in half tiles (48, 144 keys), whose last block has rows past N, and whose
        // window clips at both ends of the sequence; the 256-bit tiles (WideTiles = false) must give the same values.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse(spec), [n, n - 9], n);
        var wide = new BandedKernel(new BandedOptions { BlockSize = blockSize });
        var narrow = new BandedKernel(new BandedOptions { BlockSize = blockSize, WideTiles = false });
        var split = BandedSplit.For(layout, blockSize, wide.Options.MaxGlobalShare);
        Assert.True(split.Applicable, "the layout should run banded");
        Assert.Equal(BandedWideTiles.Supported ? BandedWideTiles.Panel : 8, BandedFusedBand.PanelFor(split, dim, wide: true));
        Assert.Equal(8, BandedFusedBand.PanelFor(split, dim, wide: false));
        var (q, k, v, up) = Inputs(batch: 2, heads: 3, n, ScalarType.Float32, dim);
        AssertAgrees(wide, layout, q, k, v, up, 2e-5);
        var fromWide = Run(wide, layout, q, k, v, up);
        var fromNarrow = Run(narrow, layout, q, k, v, up);
        string[] names = ["output", "dQ", "dK", "dV"];
        for (int i = 0; i < names.Length; i++)
        {
            double error = fromWide[i].sub(fromNarrow[i]).abs().max().item<double>();
            Assert.True(error <= 2e-6, $"{names[i]}: the 512-bit tiles differ from the 256-bit ones by {error:E2}");
        }
    }

    [Fact]
    public void FusedBackward_BroadcastOutputGradient_MatchesReference()
    {
        // sum().backward() hands the backward a gradient of stride 0 (an expanded scalar), which cannot be read in place:
        // the fused backward copies it and must give the reference's gradients.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(PatternSpec.Parse("local(5)+global(1)"), [60], 60);
        var (q0, k0, v0, _) = Inputs(batch: 1, heads: 2, 60, ScalarType.Float32, dim: 16);
        Tensor[] Gradients(AttentionKernel kernel)
        {
            var (q, k, v) = (q0.detach().requires_grad_(true), k0.detach().requires_grad_(true), v0.detach().requires_grad_(true));
            kernel.Attend(q, k, v, layout).sum().backward();
            return [q.grad!, k.grad!, v.grad!];
        }
        var expected = Gradients(new ReferenceKernel());
        var actual = Gradients(new BandedKernel(new BandedOptions { BlockSize = 8 }));
        for (int i = 0; i < 3; i++)
        {
            double error = actual[i].sub(expected[i]).abs().max().item<float>();
            Assert.True(error <= 2e-5, $"gradient {i} differs by {error:E2}");
        }
    }

    [Fact]
    public void FusedBand_NonContiguousFloat32Inputs_MatchReference()
    {
        // Strided q, k, v; the output written over a strided q goes through a contiguous copy of each head's rows.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(new LocalPattern(6) + new GlobalPattern(1), [70], 70);
        var generator = new Generator(7);
        Tensor Make() => randn([1, 70, 2, 32], dtype: ScalarType.Float32, generator: generator).transpose(1, 2);   // [1, 2, 70, 32] view
        var (q, k, v, up) = (Make(), Make(), Make(), Make());
        AssertAgrees(new BandedKernel(new BandedOptions { BlockSize = 8 }), layout, q, k, v, up, 2e-5);
    }

    [Fact]
    public void NonContiguousInputs_MatchReference()
    {
        // A model hands q, k, v as [B, N, H, D] projections transposed to [B, H, N, D]: strided views, not copies.
        using var scope = NewDisposeScope();
        var layout = AttentionLayout.Build(new LocalPattern(4) + new GlobalPattern(1), [48], 48);
        var generator = new Generator(5);
        Tensor Make() => randn([1, 48, 3, 8], dtype: ScalarType.Float64, generator: generator).transpose(1, 2);   // [1, 3, 48, 8] view
        var (q, k, v, up) = (Make(), Make(), Make(), Make());
        AssertAgrees(new BandedKernel(new BandedOptions { BlockSize = 8 }), layout, q, k, v, up, 1e-9);
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
            // A caller done with q (the encoder in inference) lets the kernel write the output over it: the same output,
            // and q's storage holds it, whatever q's strides. Layouts that fall back to BlockSparse leave q as it was.
            var spare = q.clone();
            var over = kernel.AttendOverQueries(spare, k, v, layout);
            error = over.to(ScalarType.Float64).sub(expected[0]).abs().max().item<double>();
            Assert.True(error <= tolerance, $"the output written over q differs by {error:E2}");
            bool banded = kernel is BandedKernel { } b && b.Handles(layout);
            Assert.True(spare.allclose(banded ? over : q, 0, 0), banded ? "the output was not written over q" : "q was changed");
        }
        // With gradients q is saved for the backward, so it must stay as it was.
        var kept = q.detach().clone().requires_grad_(true);
        kernel.AttendOverQueries(kept, k, v, layout).sum().backward();
        Assert.True(kept.detach().allclose(q, 0, 0), "q was changed while it needs a gradient");
    }

    private static Tensor[] Run(AttentionKernel kernel, AttentionLayout layout, Tensor q0, Tensor k0, Tensor v0, Tensor up)
    {
        var (q, k, v) = (q0.detach().requires_grad_(true), k0.detach().requires_grad_(true), v0.detach().requires_grad_(true));
        var output = kernel.Attend(q, k, v, layout);                              // [B, H, N, D]
        output.mul(up).sum().backward();
        return [output.detach().to(ScalarType.Float64), q.grad!.to(ScalarType.Float64), k.grad!.to(ScalarType.Float64), v.grad!.to(ScalarType.Float64)];
    }
}
