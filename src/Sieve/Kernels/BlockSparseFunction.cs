// The autograd node of the BlockSparse kernel, FlashAttention-2 style (METHODS.md; Dao 2023 §3.1): the forward runs
// the tile groups in chunks and saves only the output and the row log-sum-exp; the backward recomputes the scores.
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention over tiles [S·M·nb, b, D] for one <see cref="BlockSparsePlan"/>, scores scaled by the given factor (1/√D);
/// returns the output tiles in tile order. Peak memory is the inputs, the output and one chunk (its scores and gathered
/// tiles), never all of a group's scores; the scale is applied to each chunk's gathered q tiles, in place.
/// </summary>
internal sealed class BlockSparseFunction : ChunkedAttentionFunction<BlockSparseFunction, BlockSparsePlan>
{
    public override string Name => "BlockSparseAttention";

    protected override Tensor NewLse(Tensor qt, BlockSparsePlan plan) =>
        torch.zeros(qt.shape[0], qt.shape[1], 1, qt.dtype, qt.device);   // [S·M·nb, b, 1]

    protected override Tensor Run(Tensor qt, Tensor kt, Tensor vt, BlockSparsePlan plan, int chunkEntries, double scale, Tensor lse) =>
        Forward(qt, kt, vt, plan, chunkEntries, scale, lse);

    /// <summary>
    /// The output tiles, chunk by chunk, without gradients; the row log-sum-exp goes to <paramref name="lse"/> when given
    /// (the backward needs it). Inference calls this directly: no autograd node, nothing saved.
    /// </summary>
    public static Tensor Forward(Tensor qt, Tensor kt, Tensor vt, BlockSparsePlan plan, int chunkEntries, double scale, Tensor? lse = null)
    {
        using var noGrad = no_grad();
        using var factor = scale.ToScalar();   // used in several calls: made once, disposed at the end (Scalars.cs)
        using var scope = NewDisposeScope();
        var output = torch.zeros_like(qt);                                         // [S·M·nb, b, D]
        foreach (var chunk in Chunks(plan, qt.shape[0] / plan.TilesPerCopy, chunkEntries))
        {
            using var inner = NewDisposeScope();
            // The key tiles go before the value tiles are gathered: the chunk never holds both (each is D/b times the
            // scores), which keeps the forward's peak at the output plus scores and one gathered copy.
            Tensor scores;
            using (var qg = GatherQueries(qt, chunk, factor))                      // [C, b, D]
            using (var kg = GatherKeys(kt, chunk))                                 // [C, T·b, D]
                scores = Scores(qg, kg, chunk);                            // [C, b, T·b]
            // Softmax in place (logsumexp would allocate two more score-sized temporaries): the row maximum out, exp,
            // normalise; lse = max + log(sum) is what the backward recomputes the probabilities from.
            var rowMax = scores.amax([-1L], keepdim: true);                          // [C, b, 1]
            var rowSum = scores.sub_(rowMax).exp_().sum(-1, keepdim: true);        // [C, b, 1]
            scores.div_(rowSum);                                                   // [C, b, T·b]
            Tensor o;
            using (var vg = GatherKeys(vt, chunk))                                 // [C, T·b, D]
                o = scores.bmm(vg);                                                // [C, b, D]
            if (chunk.RowHasKey is not null) o.mul_(chunk.RowHasKey);              // [C, b, D]
            output.index_copy_(0, chunk.QueryTiles, o);
            lse?.index_copy_(0, chunk.QueryTiles, rowSum.log_().PlusInPlace(rowMax));
        }
        return output.MoveToOuterDisposeScope();
    }

    protected override List<Tensor> Backward(Tensor gradOutput, Tensor qt, Tensor kt, Tensor vt, Tensor output, Tensor lse, BlockSparsePlan plan, int chunkEntries, double scale)
    {
        // lse is [S·M·nb, b, 1].
        using var noGrad = no_grad();
        using var factor = scale.ToScalar();   // used in several calls: made once, disposed at the end (Scalars.cs)
        using var scope = NewDisposeScope();
        var (dq, dk, dv) = (torch.zeros_like(qt), torch.zeros_like(kt), torch.zeros_like(vt));  // [S·M·nb, b, D] each
        // delta = rowsum(dO ∘ O), the softmax backward's row term, once for every query tile.
        var delta = gradOutput.mul(output).sum(-1, keepdim: true);                 // [S·M·nb, b, 1]
        foreach (var chunk in Chunks(plan, qt.shape[0] / plan.TilesPerCopy, chunkEntries))
        {
            using var inner = NewDisposeScope();
            var (qg, kg, vg) = (GatherQueries(qt, chunk, factor), GatherKeys(kt, chunk), GatherKeys(vt, chunk));  // [C, b, D] scaled, [C, T·b, D] ×2
            var dog = gradOutput.index_select(0, chunk.QueryTiles);                // [C, b, D]
            // An empty row's output was zeroed, so its gradient stops here.
            if (chunk.RowHasKey is not null) dog.mul_(chunk.RowHasKey);            // [C, b, D]
            var probs = Scores(qg, kg, chunk).sub_(lse.index_select(0, chunk.QueryTiles)).exp_();  // [C, b, T·b]
            dv.index_add_(0, chunk.KeyTiles, probs.transpose(1, 2).bmm(dog).view(-1, qt.shape[1], qt.shape[2]), Scalars.One);  // [C·T, b, D]
            var ds = dog.bmm(vg.transpose(1, 2)).sub_(delta.index_select(0, chunk.QueryTiles)).mul_(probs);  // [C, b, T·b]
            // S = (s·q)·kᵀ, so ∂S/∂q = s·k; ∂S/∂k = s·q is qg, already scaled.
            dq.index_add_(0, chunk.QueryTiles, ds.bmm(kg), factor);                                 // [C, b, D]
            dk.index_add_(0, chunk.KeyTiles, ds.transpose(1, 2).bmm(qg).view(-1, qt.shape[1], qt.shape[2]), Scalars.One);  // [C·T, b, D]
        }
        return [dq.MoveToOuterDisposeScope(), dk.MoveToOuterDisposeScope(), dv.MoveToOuterDisposeScope(), NoGradient, NoGradient, NoGradient];
    }

    /// <summary>One chunk of a group: C query tiles, their C·T key tiles, mask rows and empty-row factors.</summary>
    private readonly record struct Chunk(int Tiles, Tensor QueryTiles, Tensor KeyTiles, Tensor? Disallowed, Tensor? RowHasKey);

    // Chunks never cross a head copy, so the mask rows of a chunk are one contiguous range of the group's [R] rows.
    private static IEnumerable<Chunk> Chunks(BlockSparsePlan plan, long copies, long chunkEntries)
    {
        foreach (var group in plan.Groups)
        {
            if (group.KeyTiles is null) continue;                                  // no tiles: the output stays zero
            long b = plan.BlockSize, span = group.Tiles * b;
            long rowsPerChunk = Math.Max(1, chunkEntries / (b * span));
            for (long c = 0; c < copies; c++)
            {
                for (long r = 0; r < group.Rows; r += rowsPerChunk)
                {
                    long count = Math.Min(rowsPerChunk, group.Rows - r), first = (c * group.Rows) + r;
                    yield return new Chunk(group.Tiles, group.QueryTiles.narrow(0, first, count), group.KeyTiles.narrow(0, first * group.Tiles, count * group.Tiles),
                        group.Disallowed?.narrow(0, r, count), group.RowHasKey?.narrow(0, r, count));
                }
            }
        }
    }

    // The chunk's q tiles, a copy scaled in place (an in-place op returns the tensor it was called on: one handle).
    private static Tensor GatherQueries(Tensor qt, Chunk chunk, Scalar scale) =>
        qt.index_select(0, chunk.QueryTiles).mul_(scale);                          // [C, b, D]

    // The chunk's key (or value) tiles, each query block's T tiles side by side. The view is returned as the only
    // handle on the copy, so disposing it frees the copy there and then, not at the end of the chunk's scope.
    private static Tensor GatherKeys(Tensor tiles, Chunk chunk)
    {
        using var gathered = tiles.index_select(0, chunk.KeyTiles);                // [C·T, b, D]
        return gathered.view(-1, chunk.Tiles * tiles.shape[1], tiles.shape[2]);     // [C, T·b, D]
    }

    // Scaled scores, the disallowed entries of the tiles at the lowest finite value through the plan's additive bias (as
    // the reference's fill, so that an empty row stays finite).
    private static Tensor Scores(Tensor qg, Tensor kg, Chunk chunk)
    {
        // The transposed view is released here: while a handle on it lived, disposing kg would not free the tiles.
        using var keysT = kg.transpose(1, 2);                                      // [C, D, T·b]
        var scores = qg.bmm(keysT);                                                // [C, b, T·b]
        return chunk.Disallowed is null ? scores : scores.add_(chunk.Disallowed, Scalars.One);   // [C, b, T·b]
    }
}
