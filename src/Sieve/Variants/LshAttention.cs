// Reformer LSH attention, bidirectional (Kitaev et al. 2020, "Reformer: The Efficient Transformer" §2; METHODS.md §12):
// angular hashing of shared query-keys, sort by (bucket, position), chunk, attend within the bucket in the own and the
// previous chunk, several rounds combined by their log-normalisers.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// LSH attention with shared QK: the keys are the unit-length queries (k_j = q_j/‖q_j‖), so the layer's key
/// projection is unused. Buffer <c>rotations</c> [rounds, H, D, b/2]: random rotations drawn once from the seed and
/// saved (HF draws new ones per forward; fixed ones make evaluation and reloads deterministic). A query attends to keys
/// of its own bucket in its own chunk and the previous one (wrapping around), never to padding, and to itself only when
/// nothing else is available. Keys met in several rounds are counted once per round (no de-duplication).
/// </summary>
public sealed class LshAttention : AttentionVariant
{
    /// <summary>The score of a query with itself: allowed, but below every real score (HF's self_mask_value).</summary>
    public const double SelfScore = -1e5;

    /// <summary>The most hashing rounds a layer may run.</summary>
    public const int MaxRounds = 64;

    private readonly LshOptions _options;
    private readonly Tensor _rotations;

    public LshAttention(LshOptions options, int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LshAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headSize, 1);
        // The rotations hold R·H·D·b/2 numbers and every round is a full pass, so both are bounded here rather than
        // left to fail in libtorch (or run for hours) on a typo such as buckets=1000000000.
        if (options.Buckets > Math.Max(2, maxLength))
            throw new ArgumentException($"lsh buckets = {options.Buckets} exceeds the maximum length {maxLength}: most buckets would stay empty; use buckets <= {Math.Max(2, maxLength)}");
        if (options.Rounds > MaxRounds)
            throw new ArgumentException($"lsh rounds = {options.Rounds} is more than {MaxRounds}: each round is a full attention pass (Reformer used up to 8)");
        _options = options;
        var generator = new Generator((ulong)options.Seed);
        _rotations = randn([options.Rounds, heads, headSize, options.Buckets / 2], dtype: ScalarType.Float64, generator: generator)
            .to(dtype ?? ScalarType.Float32, device ?? CPU);                            // [R, H, D, b/2]
        register_buffer("rotations", _rotations);
    }

    public override VariantOptions Options => _options;

    /// <summary>The bucket of every token in every round: [R, B, H, N], values in [0, b).</summary>
    public Tensor Buckets(Tensor q)
    {
        ArgumentNullException.ThrowIfNull(q);
        using var scope = NewDisposeScope();
        var projected = q.unsqueeze(0).matmul(_rotations.unsqueeze(1).to(q.dtype));   // [R, B, H, N, b/2]
        return scope.MoveToOuter(cat([projected, -projected], -1).argmax(-1));         // [R, B, H, N]
    }

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        CheckInputs(q, k, v, hidden, keyPadding);
        using var scope = NewDisposeScope();
        var buckets = Buckets(q);                                                   // [R, B, H, N]
        var outputs = new List<Tensor>();
        var normalisers = new List<Tensor>();
        for (int round = 0; round < _options.Rounds; round++)
        {
            var (output, lse) = Round(q, v, keyPadding, buckets[round]);            // [B, H, N, D], [B, H, N]
            outputs.Add(output);
            normalisers.Add(lse);
        }
        // Each round is a softmax over its own key set; weighting by exp(lse_r) / Σ exp(lse) makes the sum a softmax
        // over the union of the rounds' keys (with multiplicity).
        var weights = stack(normalisers).softmax(dim: 0).unsqueeze(-1);                  // [R, B, H, N, 1]
        return scope.MoveToOuter((stack(outputs) * weights).sum(dim: 0));                // [B, H, N, D]
    }

    private (Tensor Output, Tensor Lse) Round(Tensor q, Tensor v, Tensor keyPadding, Tensor buckets)
    {
        long batch = q.shape[0], heads = q.shape[1], n = q.shape[2], dim = q.shape[3];
        // A chunk longer than the sequence is one chunk of it: the filler slots it would add are never valid keys, so
        // capping at n gives the same output without allocating for the argument.
        int m = (int)Math.Min(_options.Chunk, n);
        long chunks = (n + m - 1) / m;
        long padded = chunks * m;
        long extra = padded - n;
        // Filler slots complete the last chunk: bucket b sorts them last, and they are never valid keys.
        var qs = nn.functional.pad(q, [0, 0, 0, extra]);                               // [B, H, P, D]
        var vs = nn.functional.pad(v, [0, 0, 0, extra]);                               // [B, H, P, Dv]
        var bucket = nn.functional.pad(buckets, [0, extra], value: _options.Buckets);  // [B, H, P]
        var valid = nn.functional.pad(keyPadding.to_type(ScalarType.Int8), [0, extra]).to_type(ScalarType.Bool)
            .unsqueeze(1).expand(batch, heads, padded);                             // [B, H, P]
        var positions = arange(Scalars.Of(0), Scalars.Of(padded), Scalars.Of(1), device: q.device).expand(batch, heads, padded);   // [B, H, P]
        var order = bucket.mul(Scalars.Of(padded)).add(positions, Scalars.Of(1)).argsort(-1);   // [B, H, P]: by (bucket, position)

        var sq = qs.gather(2, order.unsqueeze(-1).expand(-1, -1, -1, dim));         // [B, H, P, D]
        var sv = vs.gather(2, order.unsqueeze(-1).expand(-1, -1, -1, vs.shape[3])); // [B, H, P, Dv]
        var sb = bucket.gather(2, order);                                           // [B, H, P]
        var svalid = valid.gather(2, order);                                        // [B, H, P]
        var sk = sq / sq.norm(-1, keepdim: true).ClampMin(1e-12);              // [B, H, P, D]: shared QK

        var cq = sq.view(batch, heads, chunks, m, dim);                             // [B, H, C, m, D]
        var ck = LookBack(sk.view(batch, heads, chunks, m, dim), chunks);           // [B, H, C, K, D], K = m or 2m
        var cv = LookBack(sv.view(batch, heads, chunks, m, -1), chunks);            // [B, H, C, K, Dv]
        var qb = sb.view(batch, heads, chunks, m, 1);                               // [B, H, C, m, 1]
        var kb = LookBack(sb.view(batch, heads, chunks, m, 1), chunks).squeeze(-1).unsqueeze(3);      // [B, H, C, 1, K]
        var qpos = order.view(batch, heads, chunks, m, 1);                          // [B, H, C, m, 1]
        var kpos = LookBack(order.view(batch, heads, chunks, m, 1), chunks).squeeze(-1).unsqueeze(3); // [B, H, C, 1, K]
        var kvalid = LookBack(svalid.view(batch, heads, chunks, m, 1).to_type(ScalarType.Int8), chunks).squeeze(-1).unsqueeze(3).to_type(ScalarType.Bool);

        var scores = cq.matmul(ck.transpose(-1, -2)).DividedBy(Math.Sqrt(dim));     // [B, H, C, m, K]
        var self = qpos.eq(kpos);                                                   // [B, H, C, m, K]
        scores = scores.MaskedFill(self, SelfScore);
        var allowed = qb.eq(kb).logical_and(kvalid);                                // [B, H, C, m, K]
        scores = scores.MaskedFill(allowed.logical_not(), VariantMath.Disallowed);
        var lse = scores.logsumexp(-1);                                             // [B, H, C, m]
        var probabilities = (scores - lse.unsqueeze(-1)).exp();                     // [B, H, C, m, K]
        var output = probabilities.matmul(cv).view(batch, heads, padded, -1);       // [B, H, P, Dv] (sorted order)

        var undo = order.argsort(-1)[.., .., ..(int)n];                             // [B, H, N]: sorted slot of each token
        var unsorted = output.gather(2, undo.unsqueeze(-1).expand(-1, -1, -1, output.shape[3]));   // [B, H, N, Dv]
        return (unsorted, lse.view(batch, heads, padded).gather(2, undo));          // [B, H, N, Dv], [B, H, N]
    }

    // Keys of the own chunk followed by those of the previous one (chunk 0 looks back to the last); one chunk has none.
    private static Tensor LookBack(Tensor chunked, long chunks) =>
        chunks == 1 ? chunked : cat([chunked, chunked.roll(1, 2)], 3);              // [B, H, C, K, ·]

    public override VariantReport Report() =>
        new(_options.ToString(), new Dictionary<string, IReadOnlyList<double>> { ["buckets"] = [_options.Buckets], ["rounds"] = [_options.Rounds], ["chunk"] = [_options.Chunk] });
}
