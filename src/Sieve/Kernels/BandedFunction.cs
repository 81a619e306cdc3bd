// The autograd node of the Banded kernel (Longformer's sliding chunks without the copies): query block r's window of
// keys is an overlapping strided view of the head's keys, so each chunk is one bmm with no gather; the global columns
// join the window's softmax and the global rows run densely. FlashAttention-2 style: the forward saves the output and
// the row log-sum-exp, the backward recomputes the probabilities. In float32 on CPUs with AVX2 and FMA the forward's
// band runs instead as one C# SIMD loop over every head (BandedFusedBand), with the same outputs, and so does the
// backward's (BandedFusedBackward).
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Kernels;

/// <summary>
/// Attention of q, k, v [B, H, N, D] over a <see cref="BandedPlan"/>, scaled by the given factor (1/√D): the band and
/// global columns chunk by chunk, then the global rows over all keys, written over the band's (zero) rows. Positions are
/// counted on keys padded by BlocksBefore blocks in front, so that query block r's window starts at padded key r·b.
/// </summary>
internal sealed class BandedFunction : ChunkedAttentionFunction<BandedFunction, BandedPlan>
{
    public override string Name => "BandedAttention";

    protected override Tensor NewLse(Tensor q, BandedPlan plan)
    {
        var split = plan.Split;
        return torch.zeros(q.shape[0], q.shape[1], split.Blocks * split.BlockSize, 1, q.dtype, q.device);   // [B, H, nb·b, 1]
    }

    protected override Tensor Run(Tensor q, Tensor k, Tensor v, BandedPlan plan, int chunkEntries, double scale, Tensor lse) =>
        Forward(q, k, v, plan, chunkEntries, scale, lse);

    /// <summary>
    /// The output without gradients; the row log-sum-exp goes to <paramref name="lse"/> when given (the backward needs
    /// it). With <paramref name="into"/> the output is written there and returned as a new handle on it; it may be q
    /// itself: a chunk's queries are copied (scaled) before its output rows are written, which are the same rows, a
    /// head's global-column scores before any of its rows is, and the global rows' queries before any row is.
    /// </summary>
    public static Tensor Forward(Tensor q, Tensor k, Tensor v, BandedPlan plan, int chunkEntries, double scale, Tensor? lse = null, Tensor? into = null)
    {
        using var noGrad = no_grad();
        using var factor = scale.ToScalar();   // used in several calls: made once, disposed at the end (Scalars.cs)
        using var scope = NewDisposeScope();
        // The global rows' queries (scaled copies, [h, r, D] per group) before any output row is written.
        var globalRows = RowGroups(q, plan).Select(group => (Group: group, Queries: group.Of(q).index_select(1, group.Map.Rows!).mul_(factor))).ToList();
        // Every row is written below (the chunks cover all N rows, then the global rows), so a new output starts empty.
        var output = into?.alias() ?? torch.empty(q.shape, q.dtype, q.device);    // [B, H, N, D], contiguous whatever q's strides when new
        long n = q.shape[2];
        bool fused = plan.FusedBand && BandedFusedBand.Applies(q, plan.Split) && RunFusedBand(q, k, v, plan, scale, factor, output, lse);
        foreach (var (e, h) in fused ? [] : Heads(q))
        {
            // The head's copies (padded q, the global columns, k and v where they are strided) belong to this scope: made
            // outside it, every head's would live to the end of the call.
            using var headScope = NewDisposeScope();
            var head = Head(q, k, v, plan, e, h);
            var outHead = output[head.Example, head.Head];                         // [N, D] view
            // The global columns' scores of all the head's rows at once, read before any of its output rows is written
            // (into may be q). They join each row's softmax after the band's chunks: per chunk they were a dozen launches
            // on [C·b, g] tensors, slower than the window's products they ride along with.
            var columns = head.ColumnScores(factor);                               // [nb·b, g] or null
            var columnMax = columns?.amax([-1L], keepdim: true);                   // [nb·b, 1]
            var rowMaxes = columns is null ? null : torch.empty_like(columnMax!); // [nb·b, 1]: each row's maximum over band and columns
            var rowSums = columns is null ? null : torch.empty_like(columnMax!);  // [nb·b, 1]: the band's part of the softmax sum
            foreach (var chunk in head.Chunks(chunkEntries))
            {
                using var inner = NewDisposeScope();
                var qc = head.Queries(chunk, factor);                              // [C·b, D] scaled
                var s = head.WindowScores(qc, chunk);                              // [C, b, L]
                // Softmax in place: the row maximum (the columns' too, so that they can join later) out and exp; the
                // normalisation is applied to the output ([C, b, D]) rather than to the probabilities ([C, b, L], L > D).
                var rowMax = s.amax([-1L], keepdim: true);                         // [C, b, 1]
                if (columnMax is not null) rowMax = rowMax.maximum(columnMax.narrow(0, chunk.FirstRow, chunk.Rows).view(rowMax.shape));
                var rowSum = s.sub_(rowMax).exp_().sum(-1, keepdim: true);         // [C, b, 1]
                if (columns is not null)
                {
                    // Unnormalised until the columns are in.
                    ChunkOutput(s, head.Window(head.Values, chunk), outHead, chunk, n);
                    rowMaxes!.narrow(0, chunk.FirstRow, chunk.Rows).copy_(rowMax.view(-1, 1));
                    rowSums!.narrow(0, chunk.FirstRow, chunk.Rows).copy_(rowSum.view(-1, 1));
                    continue;
                }
                lse?[head.Example, head.Head].narrow(0, chunk.FirstRow, chunk.Rows).copy_(rowSum.log().PlusInPlace(rowMax).view(-1, 1));
                // One pass normalises the rows and zeroes the ones without a key.
                var norm = rowSum.reciprocal_();                                   // [C, b, 1]
                if (chunk.RowHasKey is not null) norm.mul_(chunk.RowHasKey.view(norm.shape));
                ChunkOutput(s, head.Window(head.Values, chunk), outHead, chunk, n, norm);
            }
            if (columns is not null) AddColumns(head, columns, rowMaxes!, rowSums!, outHead, lse?[head.Example, head.Head]);
        }
        foreach (var (group, queries) in globalRows) GlobalRowsForward(group, queries, k, v, output, lse);
        return output.MoveToOuterDisposeScope();
    }

    // A chunk's output rows: probs [C, b, L] · values [C, L, D], times norm [C, b, 1] when given, copied into outHead's
    // rows [N, D] (the last chunk's rows past N left out). TorchSharp has no bmm into a given tensor, hence the copy.
    private static void ChunkOutput(Tensor probs, Tensor values, Tensor outHead, Chunk chunk, long n, Tensor? norm = null)
    {
        long rows = Math.Min(chunk.Rows, n - chunk.FirstRow);
        var o = probs.bmm(values);                                                 // [C, b, D]
        if (norm is not null) o.mul_(norm);
        outHead.narrow(0, chunk.FirstRow, rows).copy_(o.view(-1, o.shape[2]).narrow(0, 0, rows));
    }

    // Every head's band and global columns in one parallel loop (BandedFusedBand), reading q, k, v and writing the
    // normalised output and the lse in place. False, with nothing written, when a tensor's heads cannot be read in place
    // (neither it nor its [B, N, H, D] view is contiguous): the torch path runs instead.
    private static bool RunFusedBand(Tensor q, Tensor k, Tensor v, BandedPlan plan, double scale, Scalar factor, Tensor output, Tensor? lse)
    {
        using var scope = NewDisposeScope();
        var split = plan.Split;
        long n = q.shape[2];
        var heads = new List<BandedFusedBand.Head>();
        foreach (var (e, h) in Heads(q))
        {
            var (qr, kr, vr, or) = (BandedFusedBand.Rows.Of(q, e, h), BandedFusedBand.Rows.Of(k, e, h), BandedFusedBand.Rows.Of(v, e, h), BandedFusedBand.Rows.Of(output, e, h));
            if (qr is null || kr is null || vr is null || or is null) return false;
            var map = plan.Map(e, h);
            var (_, values, scores) = FusedColumns(q, k, v, map, e, h, factor);
            heads.Add(new BandedFusedBand.Head(qr.Value, kr.Value, vr.Value, map.BandBias, map.BlockPattern, scores, values, map.RowHasKey, or.Value,
                lse?[e, h], (int)n, (int)q.shape[3]));
        }
        BandedFusedBand.Run(heads, split, (float)scale, BandedFusedBand.PanelFor(split, (int)q.shape[3], plan.WideTiles));
        return true;
    }

    // Head (e, h)'s global columns for the fused loops: their keys and values [g, D] and every row's scores [nb·b, g],
    // made before the loop writes any output row (the output may be q itself); nulls without columns.
    private static (Tensor? Keys, Tensor? Values, Tensor? Scores) FusedColumns(Tensor q, Tensor k, Tensor v, BandedMap map, int e, int h, Scalar factor)
    {
        if (map.Columns is null) return (null, null, null);
        var keys = k[e, h].index_select(0, map.Columns);
        return (keys, v[e, h].index_select(0, map.Columns), ColumnScores(q[e, h], keys, map, factor));
    }

    // The global columns join the head's softmax, for all rows at once: their probabilities under each row's maximum,
    // added to the band's sum and (times the columns' values) to its unnormalised output; then one pass normalises the
    // rows and zeroes the ones without a key. columns [nb·b, g] are the scores (overwritten), rowMax and rowSum
    // [nb·b, 1] the band's; outHead [N, D].
    private static void AddColumns(HeadData head, Tensor columns, Tensor rowMax, Tensor rowSum, Tensor outHead, Tensor? lseHead)
    {
        long n = outHead.shape[0];
        var probs = columns.sub_(rowMax).exp_();                                   // [nb·b, g]
        rowSum.add_(probs.sum(-1, keepdim: true), Scalars.One);                   // [nb·b, 1]
        lseHead?.copy_(rowSum.log().PlusInPlace(rowMax));
        var norm = rowSum.reciprocal_();                                           // [nb·b, 1]
        if (head.Map.RowHasKey is not null) norm.mul_(head.Map.RowHasKey);
        outHead.addmm_(probs.narrow(0, 0, n), head.ColumnValues!).mul_(norm.narrow(0, 0, n));   // [N, D]
    }

    // The global columns' scores [nb·b, g] of queries [N or nb·b, D] against the columns' keys [g, D], scaled, disallowed
    // entries at the lowest finite value; rows past N score 0, as zero queries do. Scaled after the product: [nb·b, g]
    // is smaller than a scaled copy of the queries.
    private static Tensor ColumnScores(Tensor queries, Tensor columnKeys, BandedMap map, Scalar scale)
    {
        var bias = map.ColumnBias!;                                                // [nb·b, g]
        var scores = queries.mm(columnKeys.t()).mul_(scale);                       // [N or nb·b, g]
        long missing = bias.shape[0] - scores.shape[0];
        return (missing == 0 ? scores : nn.functional.pad(scores, [0, 0, 0, missing])).add_(bias, Scalars.One);
    }

    /// <summary>Heads First … First + Count − 1 of one example, which share <see cref="Map"/> and so its global rows.</summary>
    private readonly record struct RowGroup(int Example, int First, int Count, BandedMap Map)
    {
        // This group's part of a [B, H, …] tensor: [Count, …].
        public Tensor Of(Tensor t) => t[Example].narrow(0, First, Count);
    }

    // The head groups that have global rows: all heads of an example at once when they share the example's map (one
    // batched product for all of them: the rows are a handful of launches each, too small to run head by head), else
    // each head alone.
    private static IEnumerable<RowGroup> RowGroups(Tensor q, BandedPlan plan)
    {
        int heads = (int)q.shape[1];
        for (int e = 0; e < q.shape[0]; e++)
        {
            for (int h = 0; h < heads; h += plan.LayoutHeads == 1 ? heads : 1)
            {
                var map = plan.Map(e, h);
                if (map.Rows is not null) yield return new RowGroup(e, h, plan.LayoutHeads == 1 ? heads : 1, map);
            }
        }
    }

    // The global rows of a group of heads, densely over all N keys: their output rows and (for the backward) their lse
    // replace the band's, which are zero for these rows (their band mask allows nothing).
    // queries are the group's global-row queries [h, r, D], scaled.
    private static void GlobalRowsForward(RowGroup group, Tensor queries, Tensor k, Tensor v, Tensor output, Tensor? lse)
    {
        using var scope = NewDisposeScope();
        var rows = group.Map.Rows!;
        var s = GlobalRowScores(group, queries, group.Of(k));                      // [h, r, N]
        var rowMax = s.amax([-1L], keepdim: true);                                 // [h, r, 1]
        var rowSum = s.sub_(rowMax).exp_().sum(-1, keepdim: true);                 // [h, r, 1]
        group.Of(output).index_copy_(1, rows, s.bmm(group.Of(v)).div_(rowSum));   // [h, r, D]
        if (lse is not null) group.Of(lse).index_copy_(1, rows, rowSum.log_().PlusInPlace(rowMax));
    }

    // Scores of the (scaled) global-row queries [h, r, D] against every key [h, N, D], disallowed entries at the lowest finite value.
    private static Tensor GlobalRowScores(RowGroup group, Tensor qr, Tensor keys)
    {
        double lowest = qr.dtype == ScalarType.Float64 ? double.MinValue : qr.dtype == ScalarType.Float32 ? float.MinValue : -65504.0;
        return qr.bmm(keys.transpose(1, 2)).MaskedFillInPlace(group.Map.RowDisallowed!, lowest);   // [h, r, N]
    }

    // The global rows' gradients: recompute their probabilities from the lse, as the band's backward does.
    private static void GlobalRowsBackward(RowGroup group, Tensor q, Tensor k, Tensor v, Tensor gradOutput, Tensor output, Tensor lse, Scalar factor,
        Tensor dq, Tensor dk, Tensor dv)
    {
        using var scope = NewDisposeScope();
        var rows = group.Map.Rows!;
        var (keys, values) = (group.Of(k), group.Of(v));                           // [h, N, D] each
        var qr = group.Of(q).index_select(1, rows).mul_(factor);                   // [h, r, D] scaled
        var probs = GlobalRowScores(group, qr, keys).sub_(group.Of(lse).index_select(1, rows)).exp_();   // [h, r, N]
        var dor = group.Of(gradOutput).index_select(1, rows);                      // [h, r, D]
        var delta = dor.mul(group.Of(output).index_select(1, rows)).sum(-1, keepdim: true);   // [h, r, 1]
        var ds = dor.bmm(values.transpose(1, 2)).sub_(delta).mul_(probs);          // [h, r, N]
        group.Of(dq).index_add_(1, rows, ds.bmm(keys), factor);                    // [h, r, D]
        // dv and dk get a rank-r update of all N rows: added in place head by head, since a batched product would first
        // make a new [h, N, D] tensor (12 MiB at N = 4,096) only to add it.
        var (dvGroup, dkGroup) = (group.Of(dv), group.Of(dk));                     // [h, N, D] views
        for (int i = 0; i < group.Count; i++)
        {
            dvGroup[i].addmm_(probs[i].t(), dor[i]);                               // [N, r]·[r, D]
            dkGroup[i].addmm_(ds[i].t(), qr[i]);                                   // [N, r]·[r, D]
        }
    }

    // The global columns' gradients of one head, for all its rows at once: their probabilities come from the saved lse,
    // so unlike the forward they need no window, and one pass over [nb·b, g] replaces a handful of launches per chunk.
    // Adds to the head's dq; returns the columns' dk and dv [g, D].
    private static (Tensor Keys, Tensor Values) ColumnsBackward(HeadData head, Tensor bandGo, Tensor delta, Tensor lseHead, Scalar factor, Tensor dqHead)
    {
        long n = dqHead.shape[0];
        var pg = head.ColumnScores(factor)!.sub_(lseHead).exp_();                  // [nb·b, g]
        var dvg = pg.t().mm(bandGo);                                               // [g, D]
        var dsg = bandGo.mm(head.ColumnValues!.t()).sub_(delta).mul_(pg);          // [nb·b, g]
        dqHead.add_(dsg.mm(head.ColumnKeys).narrow(0, 0, n), factor);              // [N, D]
        return (dsg.t().mm(head.PaddedQueries).mul_(factor), dvg);                 // [g, D] each
    }

    protected override List<Tensor> Backward(Tensor gradOutput, Tensor q, Tensor k, Tensor v, Tensor output, Tensor lse, BandedPlan plan, int chunkEntries, double scale)
    {
        // lse is [B, H, nb·b, 1].
        using var noGrad = no_grad();
        using var factor = scale.ToScalar();   // used in several calls: made once, disposed at the end (Scalars.cs)
        using var scope = NewDisposeScope();
        var (dq, dk, dv) = (torch.zeros_like(q), torch.zeros_like(k), torch.zeros_like(v));   // [B, H, N, D] each
        var split = plan.Split;
        long n = q.shape[2], d = q.shape[3], b = split.BlockSize, padded = split.Blocks * b;
        bool fused = plan.FusedBand && BandedFusedBand.Applies(q, split) && RunFusedBackward(gradOutput, q, k, v, output, lse, plan, scale, factor, dq, dk, dv);
        foreach (var (e, h) in fused ? [] : Heads(q))
        {
            using var headScope = NewDisposeScope();
            var head = Head(q, k, v, plan, e, h);
            // The head's output gradient and delta = rowsum(dO ∘ O), padded to whole query blocks. The band's rows without
            // a key (empty rows, and global rows, whose output comes from the dense part) get no gradient from the band.
            var go = Pad(gradOutput[head.Example, head.Head], 0, padded - n);    // [nb·b, D]
            var bandGo = head.Map.RowHasKey is null ? go : go.mul(head.Map.RowHasKey);   // [nb·b, D]
            var delta = bandGo.mul(Pad(output[head.Example, head.Head], 0, padded - n)).sum(-1, keepdim: true);   // [nb·b, 1]
            long paddedKeys = (split.Blocks - 1 + split.WindowBlocks) * b;
            var dkp = torch.zeros(paddedKeys, d, q.dtype, q.device);               // [(nb−1+m)·b, D]: the window gradients, keys padded
            var dvp = torch.zeros(paddedKeys, d, q.dtype, q.device);               // [(nb−1+m)·b, D]
            var lseHead = lse[head.Example, head.Head];                            // [nb·b, 1]
            var dqHead = dq[head.Example, head.Head];                              // [N, D] view
            var (dkg, dvg) = head.ColumnKeys is null ? (null, null) : ColumnsBackward(head, bandGo, delta, lseHead, factor, dqHead);   // [g, D] each
            foreach (var chunk in head.Chunks(chunkEntries))
            {
                using var inner = NewDisposeScope();
                var qc = head.Queries(chunk, factor);                              // [C·b, D] scaled
                var s = head.WindowScores(qc, chunk);                              // [C, b, L]
                var rowLse = lseHead.narrow(0, chunk.FirstRow, chunk.Rows).view(chunk.Blocks, b, 1);   // [C, b, 1]
                var probs = s.sub_(rowLse).exp_();                                 // [C, b, L]
                var dog = bandGo.narrow(0, chunk.FirstRow, chunk.Rows);            // [C·b, D]
                var dog3 = dog.view(chunk.Blocks, b, d);                           // [C, b, D]
                var rowDelta = delta.narrow(0, chunk.FirstRow, chunk.Rows).view(chunk.Blocks, b, 1);   // [C, b, 1]
                var vw = head.Window(head.Values, chunk);                          // [C, L, D]
                var kw = head.Window(head.Keys, chunk);                            // [C, L, D]
                AddWindows(dvp, probs.transpose(1, 2).bmm(dog3), chunk, split);   // [C, L, D]
                var ds = dog3.bmm(vw.transpose(1, 2)).sub_(rowDelta).mul_(probs);  // [C, b, L]
                var dqc = ds.bmm(kw).view(-1, d);                                  // [C·b, D]
                AddWindows(dkp, ds.transpose(1, 2).bmm(qc.view(chunk.Blocks, b, d)), chunk, split);   // [C, L, D]
                // S = (s·q)·kᵀ, so ∂S/∂q = s·k; ∂S/∂k = s·q is qc, already scaled.
                long rows = Math.Min(chunk.Rows, n - chunk.FirstRow);
                dqHead.narrow(0, chunk.FirstRow, rows).add_(dqc.narrow(0, 0, rows), factor);
            }
            long front = split.BlocksBefore * b;
            dk[head.Example, head.Head].add_(dkp.narrow(0, front, n), Scalars.One);
            dv[head.Example, head.Head].add_(dvp.narrow(0, front, n), Scalars.One);
            if (head.Columns is not null)
            {
                dk[head.Example, head.Head].index_add_(0, head.Columns, dkg!, Scalars.One);
                dv[head.Example, head.Head].index_add_(0, head.Columns, dvg!, Scalars.One);
            }
        }
        foreach (var group in RowGroups(q, plan)) GlobalRowsBackward(group, q, k, v, gradOutput, output, lse, factor, dq, dk, dv);
        return [dq.MoveToOuterDisposeScope(), dk.MoveToOuterDisposeScope(), dv.MoveToOuterDisposeScope(), NoGradient, NoGradient, NoGradient];
    }

    // Every head's band and global columns' gradients in one parallel pass (BandedFusedBackward), reading the inputs and
    // adding to dq, dk and dv in place. False, with nothing written, when a tensor's heads cannot be read in place (the
    // torch path runs instead); an output gradient that cannot (a broadcast one, say) is copied.
    private static bool RunFusedBackward(Tensor gradOutput, Tensor q, Tensor k, Tensor v, Tensor output, Tensor lse, BandedPlan plan, double scale,
        Scalar factor, Tensor dq, Tensor dk, Tensor dv)
    {
        using var scope = NewDisposeScope();
        long n = q.shape[2];
        var go = BandedFusedBand.Rows.Of(gradOutput, 0, 0) is null ? gradOutput.contiguous() : gradOutput;
        var heads = new List<BandedFusedBackward.Head>();
        foreach (var (e, h) in Heads(q))
        {
            var rows = new[] { q, k, v, go, output, dq, dk, dv }.Select(t => BandedFusedBand.Rows.Of(t, e, h)).ToArray();
            if (rows.Any(r => r is null)) return false;
            var map = plan.Map(e, h);
            var (keys, values, scores) = FusedColumns(q, k, v, map, e, h, factor);
            heads.Add(new BandedFusedBackward.Head(rows[0]!.Value, rows[1]!.Value, rows[2]!.Value, rows[3]!.Value, rows[4]!.Value,
                rows[5]!.Value, rows[6]!.Value, rows[7]!.Value, lse[e, h], map.BandBias, map.BlockPattern, map.RowHasKey, map.GlobalColumns, scores,
                keys, values, (int)n, (int)q.shape[3]));
        }
        BandedFusedBackward.Run(heads, plan.Split, (float)scale, BandedFusedBand.PanelFor(plan.Split, (int)q.shape[3], plan.WideTiles));
        return true;
    }

    // Adds each window's rows [C, L, D] back onto the padded keys: window block j of query block r is padded block r + j.
    private static void AddWindows(Tensor padded, Tensor windows, Chunk chunk, BandedSplit split)
    {
        long b = split.BlockSize, d = windows.shape[2];
        var blocks = padded.view(-1, b, d);                                        // [nb−1+m, b, D]
        var parts = windows.view(chunk.Blocks, split.WindowBlocks, b, d);          // [C, m, b, D]
        for (int j = 0; j < split.WindowBlocks; j++)
            blocks.narrow(0, chunk.FirstBlock + j, chunk.Blocks).add_(parts.select(1, j), Scalars.One);   // [C, b, D]
    }

    private static IEnumerable<(int Example, int Head)> Heads(Tensor q)
    {
        for (int e = 0; e < q.shape[0]; e++)
        {
            for (int h = 0; h < q.shape[1]; h++) yield return (e, h);
        }
    }

    // One head's q padded to whole blocks, its k and v (contiguous, a view when they already are) and its global columns'
    // keys and values, made in the caller's dispose scope.
    private static HeadData Head(Tensor q, Tensor k, Tensor v, BandedPlan plan, int e, int h)
    {
        var split = plan.Split;
        long n = q.shape[2], b = split.BlockSize;
        var map = plan.Map(e, h);
        var (kh, vh) = (k[e, h].contiguous(), v[e, h].contiguous());              // [N, D] each
        return new HeadData(e, h, split, map, Pad(q[e, h], 0, (split.Blocks * b) - n), kh, vh,
            map.Columns, map.Columns is null ? null : kh.index_select(0, map.Columns), map.Columns is null ? null : vh.index_select(0, map.Columns));
    }

    // Zero rows before and after [N, D]; a contiguous copy either way.
    private static Tensor Pad(Tensor x, long before, long after) =>
        before == 0 && after == 0 ? x.contiguous() : nn.functional.pad(x, [0, 0, before, after]);   // [before + N + after, D]

    /// <summary>C query blocks starting at block FirstBlock: rows FirstRow … FirstRow + Rows − 1 of the padded queries.</summary>
    private readonly record struct Chunk(int FirstBlock, int Blocks, long FirstRow, long Rows, Tensor BandBias, Tensor? RowHasKey);

    /// <summary>One (example, head): its padded q [nb·b, D], its k and v [N, D] (contiguous), and its global columns' keys and values [g, D].</summary>
    private sealed record HeadData(int Example, int Head, BandedSplit Split, BandedMap Map, Tensor PaddedQueries, Tensor Keys, Tensor Values,
        Tensor? Columns, Tensor? ColumnKeys, Tensor? ColumnValues)
    {
        public IEnumerable<Chunk> Chunks(long chunkEntries)
        {
            int b = Split.BlockSize;
            int perChunk = (int)Math.Clamp(chunkEntries / ((long)b * (Split.Window + (ColumnKeys?.shape[0] ?? 0))), 1, Split.Blocks);
            for (int first = 0; first < Split.Blocks; first += perChunk)
            {
                int count = Math.Min(perChunk, Split.Blocks - first);
                long row = (long)first * b, rows = (long)count * b;
                yield return new Chunk(first, count, row, rows, ChunkBias(first, count), Map.RowHasKey?.narrow(0, row, rows));
            }
        }

        // The in-window bias of C blocks: one stored mask broadcast over the chunk when every block uses it (the inside of
        // a band), else the blocks' masks gathered ([C, b, L], the size of the chunk's scores).
        private Tensor ChunkBias(int first, int count)
        {
            int pattern = Map.BlockPattern[first];
            bool uniform = Map.BlockPattern.AsSpan(first, count).IndexOfAnyExcept(pattern) < 0;
            return uniform ? Map.BandBias.narrow(0, pattern, 1) : Map.BandBias.index_select(0, Map.PatternIndex.narrow(0, first, count));   // [1 or C, b, L]
        }

        // The chunk's queries, a copy scaled in place.
        public Tensor Queries(Chunk chunk, Scalar scale) => PaddedQueries.narrow(0, chunk.FirstRow, chunk.Rows).mul(scale);   // [C·b, D]

        // The chunk's windows as one overlapping strided view: window r covers keys (FirstBlock + r − before)·b onwards.
        // Inside the sequence the view is on the head's keys themselves; a chunk whose windows reach before key 0 or past
        // key N − 1 reads a zero-padded copy of just its own span, so no padded copy of the whole head is ever made.
        public Tensor Window(Tensor keys, Chunk chunk)
        {
            long b = Split.BlockSize, n = keys.shape[0], d = keys.shape[1];
            long first = (chunk.FirstBlock - Split.BlocksBefore) * b, span = (chunk.Blocks - 1 + Split.WindowBlocks) * b;
            long lo = Math.Clamp(first, 0, n), hi = Math.Clamp(first + span, 0, n);
            var source = first >= 0 && first + span <= n
                ? keys.narrow(0, first, span)                                                       // [span, D] view
                : nn.functional.pad(keys.narrow(0, lo, hi - lo), [0, 0, lo - first, first + span - hi]);   // [span, D] copy
            // as_strided takes an absolute storage offset: the source is a view into a larger tensor.
            return source.as_strided([chunk.Blocks, Split.Window, d], [b * d, d, 1], source.storage_offset());   // [C, L, D]
        }

        // The global columns' scores of every (padded) row [nb·b, g]; null without columns.
        public Tensor? ColumnScores(Scalar scale) => ColumnKeys is null ? null : BandedFunction.ColumnScores(PaddedQueries, ColumnKeys, Map, scale);

        // Window scores [C, b, L], disallowed entries at the lowest finite value.
        public Tensor WindowScores(Tensor qc, Chunk chunk) =>
            qc.view(chunk.Blocks, Split.BlockSize, qc.shape[1]).bmm(Window(Keys, chunk).transpose(1, 2)).add_(chunk.BandBias, Scalars.One);   // [C, b, L]
    }
}
