// One layer's sparse attention for one batch: the layout it runs on and the kernel that computes it.
using Sieve.Kernels;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>A kernel bound to a layout; <see cref="Attend"/> replaces HF's dense attention in one layer.</summary>
public sealed record LayoutAttention(AttentionKernel Kernel, AttentionLayout Layout)
{
    /// <summary>Attention of q, k, v [B, H, N, D] under the layout; returns [B, H, N, D].</summary>
    public Tensor Attend(Tensor q, Tensor k, Tensor v) => Kernel.Attend(q, k, v, Layout);
}
