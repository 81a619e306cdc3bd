// How one layer attends for one batch: HF's dense path under an additive mask, or a kernel over a sparse layout.
using Sieve.Kernels;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>Exactly one of <see cref="AdditiveMask"/> (HF's dense path) and <see cref="Sparse"/> (a kernel) is set.</summary>
public sealed record LayerAttention
{
    private LayerAttention(Tensor? additiveMask, LayoutAttention? sparse)
    {
        AdditiveMask = additiveMask;
        Sparse = sparse;
    }

    /// <summary>HF's additive mask, broadcastable to [B, H, N, N] (0 where allowed, the dtype's minimum elsewhere).</summary>
    public Tensor? AdditiveMask { get; }

    /// <summary>The kernel and the layout of this layer.</summary>
    public LayoutAttention? Sparse { get; }

    /// <summary>Which keys are real tokens, bool [B, N] (true = token): what attention variants mask padding with.</summary>
    public Tensor? KeyPadding { get; init; }

    /// <summary>HF's dense attention under <paramref name="additiveMask"/>.</summary>
    public static LayerAttention Dense(Tensor additiveMask)
    {
        ArgumentNullException.ThrowIfNull(additiveMask);
        return new LayerAttention(additiveMask, null);
    }

    /// <summary>Sparse attention: <paramref name="kernel"/> over <paramref name="layout"/>.</summary>
    public static LayerAttention OnLayout(AttentionKernel kernel, AttentionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(layout);
        return new LayerAttention(null, new LayoutAttention(kernel, layout));
    }
}
