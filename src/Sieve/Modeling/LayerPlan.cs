// How one layer attends for one batch (DESIGN.md §1, model layer): HF's dense path under an additive mask, a kernel over
// the layer's layout (a learnable pattern's training gates ride on the layout as a float bias), or the layer's variant.
using Sieve.Kernels;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// One layer's entry of an <see cref="AttentionPlan"/>: exactly one of <see cref="AdditiveMask"/> (HF's dense path),
/// <see cref="Kernel"/> with <see cref="Layout"/>, or <see cref="Variant"/> with <see cref="KeyPadding"/>.
/// <see cref="BertSelfAttention"/> hands it q, k and v in one call, <see cref="Attend"/>.
/// </summary>
public sealed record LayerPlan
{
    private LayerPlan()
    {
    }

    /// <summary>HF's additive mask, broadcastable to [B, H, N, N] (0 where allowed, the dtype's minimum elsewhere).</summary>
    public Tensor? AdditiveMask { get; private init; }

    /// <summary>The kernel that computes <see cref="Layout"/>.</summary>
    public AttentionKernel? Kernel { get; private init; }

    /// <summary>The layer's layout for the batch (with the gates' bias while a learnable pattern trains).</summary>
    public AttentionLayout? Layout { get; private init; }

    /// <summary>The layer's attention variant, which replaces softmax attention over a pattern.</summary>
    public AttentionVariant? Variant { get; private init; }

    /// <summary>Which keys are real tokens, bool [B, N] (true = token): what a variant masks padding with.</summary>
    public Tensor? KeyPadding { get; private init; }

    /// <summary>HF's dense attention under <paramref name="additiveMask"/>.</summary>
    public static LayerPlan Dense(Tensor additiveMask)
    {
        ArgumentNullException.ThrowIfNull(additiveMask);
        return new LayerPlan { AdditiveMask = additiveMask };
    }

    /// <summary>Sparse attention: <paramref name="kernel"/> over <paramref name="layout"/>.</summary>
    public static LayerPlan OnLayout(AttentionKernel kernel, AttentionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(layout);
        return new LayerPlan { Kernel = kernel, Layout = layout };
    }

    /// <summary>The layer's own <paramref name="variant"/>, masking the padding keys of <paramref name="keyPadding"/> [B, N].</summary>
    public static LayerPlan OfVariant(AttentionVariant variant, Tensor keyPadding)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(keyPadding);
        return new LayerPlan { Variant = variant, KeyPadding = keyPadding };
    }

    /// <summary>
    /// The context [B, H, N, D] of q, k, v [B, H, N, D] as this plan says; <paramref name="hidden"/> [B, N, Hd] is the
    /// layer's input (some variants read it), <paramref name="self"/> the layer whose HF dense math the dense path runs.
    /// With <paramref name="queriesFree"/> the caller no longer needs q, and a kernel may write the context over it
    /// (<see cref="AttentionKernel.AttendOverQueries"/>).
    /// </summary>
    public Tensor Attend(BertSelfAttention self, Tensor q, Tensor k, Tensor v, Tensor hidden, bool queriesFree = false)
    {
        ArgumentNullException.ThrowIfNull(self);
        if (Variant is { } variant) return variant.Attend(q, k, v, hidden, KeyPadding!);   // [B, H, N, D]
        if (Kernel is { } kernel)
            return queriesFree ? kernel.AttendOverQueries(q, k, v, Layout!) : kernel.Attend(q, k, v, Layout!);   // [B, H, N, D]
        return self.Attend(q, k, v, AdditiveMask!);                                         // [B, H, N, D]
    }
}
