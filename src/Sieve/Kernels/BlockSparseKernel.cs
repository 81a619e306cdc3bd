// Block-sparse attention (BigBird / FlexAttention style): only the non-empty b×b tiles of the block layout are
// computed, as batched matmuls, with the exact token mask inside each tile; the backward recomputes them (BlockSparseFunction).
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention over the tiles of <see cref="Patterns.BlockLayout"/>. Query blocks are grouped by their number of tiles T,
/// and each group runs in chunks of gather + bmm + softmax + bmm over [C, b, T·b] scores, so no tile is padded and
/// none is skipped. Heads that share a layout share the group's mask (S = H copies); per-head layouts use S = 1.
/// </summary>
public sealed class BlockSparseKernel(BlockSparseOptions? options = null) : AttentionKernel
{
    public BlockSparseOptions Options { get; } = options ?? new BlockSparseOptions();

    public override AttentionKernelKind Kind => AttentionKernelKind.BlockSparse;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        CheckShapes(q, k, v, layout);
        RejectBias(layout);
        using var scope = NewDisposeScope();
        var (batch, heads, n, d) = ((int)q.shape[0], (int)q.shape[1], (int)q.shape[2], (int)q.shape[3]);
        int b = Options.BlockSize;
        bool shared = layout.Heads == 1;
        int copies = shared ? heads : 1;
        var plan = BlockSparsePlan.For(layout, b, copies, q.dtype, q.device);
        int blocks = plan.Blocks;
        // Views of q, k, v as tiles (no copy when N is a multiple of b and the batch is 1); the function scales each
        // chunk's gathered q tiles by 1/√D, so no scaled copy of q is ever held.
        var qt = Tiles(q, blocks, b, shared);                                      // [S·M·nb, b, D]
        var kt = Tiles(k, blocks, b, shared);                                      // [S·M·nb, b, D]
        var vt = Tiles(v, blocks, b, shared);                                      // [S·M·nb, b, D]
        // Without gradients (inference, evaluation) the forward runs as is: no autograd node, no saved tensors.
        bool needsGradient = is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad);
        var result = needsGradient
            ? BlockSparseFunction.apply(qt, kt, vt, plan, Options.ChunkEntries, 1.0 / Math.Sqrt(d))   // [S·M·nb, b, D]
            : BlockSparseFunction.Forward(qt, kt, vt, plan, Options.ChunkEntries, 1.0 / Math.Sqrt(d)); // [S·M·nb, b, D]
        result = shared
            ? result.view(heads, batch, blocks * b, d).transpose(0, 1)             // [B, H, nb·b, D]
            : result.view(batch, heads, blocks * b, d);                            // [B, H, nb·b, D]
        return result.narrow(2, 0, n).contiguous().MoveToOuterDisposeScope();     // [B, H, N, D]
    }

    // [B, H, N, D] → zero-padded to nb·b rows → tiles [H·B·nb, b, D] (head-major) when heads share the layout, else [B·H·nb, b, D].
    private static Tensor Tiles(Tensor x, int blocks, int b, bool shared)
    {
        long n = x.shape[2], d = x.shape[3];
        var padded = blocks * b == n ? x : nn.functional.pad(x, [0, 0, 0, (blocks * b) - n]);  // [B, H, nb·b, D]
        return shared
            ? padded.transpose(0, 1).reshape(-1, b, d)                             // [H·B·nb, b, D]
            : padded.reshape(-1, b, d);                                            // [B·H·nb, b, D]
    }
}
