// The auto kernel (DESIGN.md §1): whatever it chooses, the result is the reference kernel's; it chooses what its cost
// model says is cheaper, per call, with no memory of the previous call; a bias always goes to Sdpa.
using Sieve.Kernels;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

public sealed class AutoKernelTests
{
    private static readonly KernelCost _cheap = new(0, 0, 0);
    private static readonly KernelCost _dear = new(1e9, 0, 0);

    // A model in which only `cheap` costs nothing, in both modes.
    private static AttentionCostModel Forcing(AttentionKernelKind cheap, int blockSize = 16)
    {
        var lines = AttentionCostModel.Candidates.ToDictionary(kind => kind, kind => kind == cheap ? _cheap : _dear);
        return new AttentionCostModel(blockSize, lines, lines);
    }

    // Sdpa pays per dense multiply-add, Csr pays `csrFactor` times as much per allowed multiply-add; no BlockSparse line.
    private static AttentionCostModel SdpaVersusCsr(double csrFactor)
    {
        var lines = new Dictionary<AttentionKernelKind, KernelCost>
        {
            [AttentionKernelKind.Sdpa] = new(0, 0, 1e-6),
            [AttentionKernelKind.Csr] = new(0, 0, csrFactor * 1e-6),
        };
        return new AttentionCostModel(16, lines, lines);
    }

    public static TheoryData<string, AttentionKernelKind> ForcedCases()
    {
        var data = new TheoryData<string, AttentionKernelKind>();
        foreach (string pattern in new[] { "local(1)", "local(2)+global(1)", "local(4)-local(1)", "irregular" })
        {
            foreach (var kind in AttentionCostModel.Candidates)
            {
                // The irregular layout does not split into a band, so Banded is no candidate for it.
                if (!(pattern == "irregular" && kind == AttentionKernelKind.Banded)) data.Add(pattern, kind);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ForcedCases))]
    public void Output_AndGradients_EqualReference_WhicheverKernelIsChosen(string pattern, AttentionKernelKind forced)
    {
        var auto = new AutoKernel(Forcing(forced));
        AssertMatchesReference(auto, pattern, 64, padding: true);
        Assert.Equal(forced, auto.LastChoice!.Kernel);
        Assert.True(auto.LastChoice.Training);
    }

    [Theory]
    [InlineData("full", 16)]
    [InlineData("local(3)", 130)]
    [InlineData("global(2)", 257)]
    public void Output_EqualsReference_UnderTheBuiltInModel(string pattern, int n) =>
        AssertMatchesReference(new AutoKernel(AttentionCostModel.Default), pattern, n, padding: false);

    [Fact]
    public void Chooses_TheKernelTheModelSaysIsCheaper_AndNeverSticks()
    {
        using var scope = NewDisposeScope();
        // local(1) at N = 257 keeps 3N − 2 = 769 entries per map (density 0.0116); full keeps N².
        var sparse = KernelTestData.Layout("local(1)", 257, padding: false);
        var dense = KernelTestData.Layout("full", 257, padding: false);
        var (q, k, v, _) = KernelTestData.Inputs(257, ScalarType.Float32);

        // Csr at 10× the cost per multiply-add: cheaper iff density < 0.1, so Csr for local(1), Sdpa for full.
        var auto = new AutoKernel(SdpaVersusCsr(10));
        var seen = new List<AttentionKernelKind>();
        auto.Chose += (_, choice) => seen.Add(choice.Kernel);
        foreach (var layout in new[] { sparse, dense, sparse })
        {
            using var noGrad = no_grad();
            auto.Attend(q, k, v, layout);
        }
        Assert.Equal([AttentionKernelKind.Csr, AttentionKernelKind.Sdpa, AttentionKernelKind.Csr], seen);

        // The estimates are the model's lines on the hand-counted work: B·H·N²·D and B·H·nnz·D with B = H = 2, D = 8.
        var estimates = auto.Choose(q.detach(), k.detach(), v.detach(), sparse).EstimatesMs;
        Assert.Equal(1e-6 * 2 * 2 * 257 * 257 * 8, estimates[AttentionKernelKind.Sdpa], 9);
        Assert.Equal(1e-5 * 2 * 2 * ((3 * 257) - 2) * 8, estimates[AttentionKernelKind.Csr], 9);

        // Csr at 1000× the cost: Sdpa even for the sparse layout (0.0116 · 1000 > 1).
        var other = new AutoKernel(SdpaVersusCsr(1000));
        using (no_grad()) other.Attend(q, k, v, sparse);
        Assert.Equal(AttentionKernelKind.Sdpa, other.LastChoice!.Kernel);
    }

    [Theory]
    [InlineData(0.95, AttentionKernelKind.Sdpa)]   // 5 % cheaper on paper: within the model's error, Sdpa
    [InlineData(0.85, AttentionKernelKind.Csr)]    // 15 % cheaper: the sparse kernel
    public void ASparseKernel_MustBeatSdpaByTheMargin(double ratio, AttentionKernelKind expected)
    {
        using var scope = NewDisposeScope();
        var layout = KernelTestData.Layout("local(1)", 257, padding: false);
        var (q, k, v, _) = KernelTestData.Inputs(257, ScalarType.Float32);
        // Csr's estimate is csrFactor·nnz / N² of Sdpa's, with nnz = 3·257 − 2.
        double csrFactor = ratio * 257 * 257 / ((3 * 257) - 2);
        var choice = new AutoKernel(SdpaVersusCsr(csrFactor)).Choose(q.detach(), k.detach(), v.detach(), layout);
        Assert.Equal(ratio, choice.EstimatesMs[AttentionKernelKind.Csr] / choice.EstimatesMs[AttentionKernelKind.Sdpa], 9);
        Assert.Equal(expected, choice.Kernel);
    }

    [Fact]
    public void CostsATrainStep_OnlyWhenGradientsWillFlow()
    {
        using var scope = NewDisposeScope();
        var layout = KernelTestData.Layout("local(1)", 64, padding: false);
        var (q, k, v, _) = KernelTestData.Inputs(64, ScalarType.Float32);
        var forward = AttentionCostModel.Candidates.ToDictionary(kind => kind, kind => kind == AttentionKernelKind.Csr ? _cheap : _dear);
        var train = AttentionCostModel.Candidates.ToDictionary(kind => kind, kind => kind == AttentionKernelKind.BlockSparse ? _cheap : _dear);
        var auto = new AutoKernel(new AttentionCostModel(16, forward, train));

        Assert.Equal(AttentionKernelKind.BlockSparse, auto.Choose(q, k, v, layout).Kernel);
        using (no_grad()) Assert.Equal(AttentionKernelKind.Csr, auto.Choose(q, k, v, layout).Kernel);
        Assert.Equal(AttentionKernelKind.Csr, auto.Choose(q.detach(), k.detach(), v.detach(), layout).Kernel);
    }

    [Fact]
    public void ABias_GoesToSdpa_AndGivesTheReferenceResult()
    {
        using var scope = NewDisposeScope();
        var plain = KernelTestData.Layout("local(2)+global(1)", 40, padding: true);
        var bias = randn([2, 2, plain.PaddedLength, plain.PaddedLength], dtype: ScalarType.Float64, generator: new Generator(3));  // [B, H, N, N]
        var maps = Enumerable.Range(0, 4).Select(i => plain[i / 2, i % 2]).ToList();
        var layout = new Sieve.Kernels.AttentionLayout(maps, 2, 2, bias);
        var (q, k, v, _) = KernelTestData.Inputs(layout.PaddedLength, ScalarType.Float64);
        var auto = new AutoKernel(Forcing(AttentionKernelKind.Csr));

        var actual = auto.Attend(q, k, v, layout);                                 // [2, 2, N, 8]
        var expected = new ReferenceKernel().Attend(q, k, v, layout);              // [2, 2, N, 8]

        Assert.Equal(AttentionKernelKind.Sdpa, auto.LastChoice!.Kernel);
        Assert.Equal([AttentionKernelKind.Sdpa], auto.LastChoice.EstimatesMs.Keys);
        Assert.True(actual.sub(expected).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void Features_CountTheNonEmptyTiles_AndTheSharedHeadsWork()
    {
        using var scope = NewDisposeScope();
        // local(1) at N = 64, b = 16: block rows see {0,1}, {0,1,2}, {1,2,3}, {2,3} = 10 tiles per map.
        var layout = Sieve.Kernels.AttentionLayout.Build(new Sieve.Patterns.LocalPattern(1), [64], 64);
        var q = zeros(1, 3, 64, 8);                                                // [1, H=3, N, D]
        var features = AttentionCostFeatures.Of(q, layout, 16);
        Assert.Equal(3 * 64, features.Rows);
        Assert.Equal(3.0 * 64 * 64 * 8, features.DenseWork);
        Assert.Equal(3.0 * 10 * 16 * 16 * 8, features.TileWork);
        Assert.Equal(3.0 * ((3 * 64) - 2) * 8, features.SparseWork);
    }

    [Theory]
    [InlineData("local(1)", 64, 64, "all")]                        // every tile row has window edges
    [InlineData("local(2)+global(2)", 100, 128, "all")]
    [InlineData("bigbird_blocks(32,1,seed=3)", 256, 256, "none")]  // aligned blocks of two tiles
    [InlineData("bigbird_blocks(32,1,seed=3)", 250, 256, "all")]   // every row reaches the partial last (global) block
    [InlineData("bigbird_blocks(32,0,seed=3)+global(40)", 256, 256, "some")] // global token 39 cuts tile 2: some groups masked
    public void Features_CountTheMaskedTiles_AsBlockSparseGroupsThem(string spec, int length, int padded, string masked)
    {
        using var scope = NewDisposeScope();
        var layout = Sieve.Kernels.AttentionLayout.Build(Sieve.Patterns.PatternSpec.Parse(spec), [length], padded);
        var features = AttentionCostFeatures.Of(1, 8, layout, 16);
        // The plan BlockSparse runs: a group carries a mask exactly when some row of it needs one.
        var plan = BlockSparsePlan.For(layout, 16, 1, ScalarType.Float32, CPU);
        double expected = plan.Groups.Where(g => g.Disallowed is not null).Sum(g => (double)g.Rows * g.Tiles) * 16 * 16 * 8;
        Assert.Equal(expected, features.MaskedTileWork);
        switch (masked)
        {
            case "all": Assert.Equal(features.TileWork, features.MaskedTileWork); break;
            case "none": Assert.Equal(0, features.MaskedTileWork); break;
            default: Assert.InRange(features.MaskedTileWork, 1, features.TileWork - 1); break;
        }
        Assert.Equal(features.MaskedTileWork, features.MaskedWorkOf(AttentionKernelKind.BlockSparse));
        Assert.Equal(0, features.MaskedWorkOf(AttentionKernelKind.Sdpa));
    }

    [Fact]
    public void Banded_IsACandidate_OnlyForLayoutsThatSplitIntoABand()
    {
        using var scope = NewDisposeScope();
        var (q, k, v, _) = KernelTestData.Inputs(64, ScalarType.Float32);
        var auto = new AutoKernel(Forcing(AttentionKernelKind.Banded));
        Assert.Equal(AttentionKernelKind.Banded, auto.Choose(q, k, v, KernelTestData.Layout("local(2)+global(1)", 64, padding: false)).Kernel);
        // At N = 257 (9 blocks of 32) the irregular keys fall outside any window for most rows.
        var (q9, k9, v9, _) = KernelTestData.Inputs(257, ScalarType.Float32);
        var irregular = auto.Choose(q9, k9, v9, KernelTestData.Layout("irregular", 257, padding: false));
        Assert.DoesNotContain(AttentionKernelKind.Banded, irregular.EstimatesMs.Keys);
    }

    [Fact]
    public void Features_CountTheBandedWork_WindowColumnsAndGlobalRows()
    {
        // local(8)+global(2) at N = 128, b = 8: windows of 3 blocks (L = 24), global rows {0, 1}, global columns {0, 1}:
        // per head 128·(24 + 2) + 2·128 multiply-adds per dimension.
        var layout = Sieve.Kernels.AttentionLayout.Build(new Sieve.Patterns.LocalPattern(8) + new Sieve.Patterns.GlobalPattern(2), [128], 128);
        var features = AttentionCostFeatures.Of(3, 8, layout, 16, banded: new BandedOptions { BlockSize = 8 });
        Assert.Equal(3.0 * ((128 * 26) + (2 * 128)) * 8, features.BandWork);
        Assert.Null(AttentionCostFeatures.Of(3, 8, layout, 16).BandWork);
    }

    [Fact]
    public void Create_Auto_GivesAnAutoKernel() =>
        Assert.Equal(AttentionKernelKind.Auto, AttentionKernel.Create(AttentionKernelKind.Auto).Kind);

    private static void AssertMatchesReference(AttentionKernel kernel, string pattern, int n, bool padding)
    {
        using var scope = NewDisposeScope();
        var layout = KernelTestData.Layout(pattern, n, padding);
        var (q0, k0, v0, up) = KernelTestData.Inputs(layout.PaddedLength, ScalarType.Float64);
        var expected = Run(new ReferenceKernel(), q0, k0, v0, up, layout);
        var actual = Run(kernel, q0, k0, v0, up, layout);
        string[] names = ["output", "dQ", "dK", "dV"];
        for (int i = 0; i < names.Length; i++)
        {
            double error = actual[i].sub(expected[i]).abs().max().item<double>();
            Assert.True(error <= 1e-9, $"auto {pattern} N={n}: {names[i]} differs by {error:E2}");
        }
    }

    private static Tensor[] Run(AttentionKernel kernel, Tensor q0, Tensor k0, Tensor v0, Tensor up, Sieve.Kernels.AttentionLayout layout)
    {
        var (q, k, v) = (q0.detach().requires_grad_(true), k0.detach().requires_grad_(true), v0.detach().requires_grad_(true));
        var output = kernel.Attend(q, k, v, layout);                              // [B, H, N, D]
        output.mul(up).sum().backward();
        return [output.detach(), q.grad!, k.grad!, v.grad!];
    }
}
