// Every kernel against the reference kernel (the specification, DESIGN.md §1): outputs and gradients of q, k and v on
// every built-in pattern, the combinators and an irregular layout with empty rows, with and without padding.
using Sieve.Kernels;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

public sealed class KernelAgreementTests
{
    public static TheoryData<AttentionKernelKind, string, int, bool> Cases()
    {
        var data = new TheoryData<AttentionKernelKind, string, int, bool>();
        int turn = 0;
        foreach (var kind in new[] { AttentionKernelKind.Sdpa, AttentionKernelKind.BlockSparse, AttentionKernelKind.Csr, AttentionKernelKind.Banded })
        {
            foreach (string pattern in KernelTestData.PatternNames)
            {
                // Two lengths per (kernel, pattern), rotating so that every length and both paddings meet every kernel.
                for (int pick = 0; pick < 2; pick++, turn++)
                    data.Add(kind, pattern, KernelTestData.Lengths[turn % KernelTestData.Lengths.Length], turn % 3 != 0);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float64_MatchesReference_Within1e9(AttentionKernelKind kind, string pattern, int n, bool padding) =>
        AssertAgrees(Kernel(kind, blockSize: 16), pattern, n, padding, ScalarType.Float64, 1e-9);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_MatchesReference_Within1e5(AttentionKernelKind kind, string pattern, int n, bool padding) =>
        AssertAgrees(Kernel(kind, blockSize: 64), pattern, n, padding, ScalarType.Float32, 1e-5);

    [Theory]
    [InlineData(AttentionKernelKind.Reference)]
    [InlineData(AttentionKernelKind.Sdpa)]
    [InlineData(AttentionKernelKind.BlockSparse)]
    [InlineData(AttentionKernelKind.Csr)]
    [InlineData(AttentionKernelKind.Banded)]
    public void EmptyAndPaddingRows_GiveZeros_AndFiniteGradients(AttentionKernelKind kind)
    {
        // local(5)&global(3) leaves rows 8.. without keys; rows past the real length are padding.
        using var scope = NewDisposeScope();
        var layout = KernelTestData.Layout("local(5)&global(3)", 16, padding: true);
        var (q, k, v, up) = KernelTestData.Inputs(layout.PaddedLength, ScalarType.Float64);
        var output = AttentionKernel.Create(kind).Attend(q, k, v, layout);       // [2, 2, 19, 8]
        output.mul(up).sum().backward();
        var rows = output.narrow(2, 8, 11);                                        // [2, 2, 11, 8]
        Assert.Equal(0.0, rows.abs().max().item<double>());
        foreach (var t in new[] { output, q.grad!, k.grad!, v.grad! })
            Assert.True(t.isfinite().all().item<bool>(), $"{kind} produced a NaN or infinity");
    }

    private static AttentionKernel Kernel(AttentionKernelKind kind, int blockSize) => kind switch
    {
        AttentionKernelKind.BlockSparse => new BlockSparseKernel(new BlockSparseOptions { BlockSize = blockSize }),
        AttentionKernelKind.Banded => new BandedKernel(new BandedOptions { BlockSize = blockSize / 4 }),
        _ => AttentionKernel.Create(kind),
    };

    private static void AssertAgrees(AttentionKernel kernel, string pattern, int n, bool padding, ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var layout = KernelTestData.Layout(pattern, n, padding);
        var (q, k, v, up) = KernelTestData.Inputs(layout.PaddedLength, dtype);
        var expected = Run(new ReferenceKernel(), q, k, v, up, layout);
        var actual = Run(kernel, q, k, v, up, layout);
        string[] names = ["output", "dQ", "dK", "dV"];
        for (int i = 0; i < names.Length; i++)
        {
            double error = actual[i].sub(expected[i]).abs().max().item<double>();
            Assert.True(error <= tolerance, $"{kernel.Kind} {pattern} N={n} padding={padding} {dtype}: {names[i]} differs by {error:E2}");
        }
    }

    // Output and input gradients of <output, up>, on fresh leaves so that the two runs do not share gradients.
    private static Tensor[] Run(AttentionKernel kernel, Tensor q0, Tensor k0, Tensor v0, Tensor up, Sieve.Kernels.AttentionLayout layout)
    {
        var (q, k, v) = (q0.detach().requires_grad_(true), k0.detach().requires_grad_(true), v0.detach().requires_grad_(true));
        var output = kernel.Attend(q, k, v, layout);                              // [B, H, N, D]
        output.mul(up).sum().backward();
        return [output.detach().to(ScalarType.Float64), q.grad!.to(ScalarType.Float64), k.grad!.to(ScalarType.Float64), v.grad!.to(ScalarType.Float64)];
    }
}
