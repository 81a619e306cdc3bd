// The Sparse Transformer's factorised attention as separate heads (Child et al. 2019 §4.2; METHODS.md §5, integration
// (c)): the first half of the heads use the "row" index set A¹, the rest the "column" set A², each as its own mask.
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// Factorised heads, bidirectional (the encoder reading: |i − j| in place of i − j). Strided: A¹ = {j : |i − j| ≤ l},
/// A² = {j : (i − j) mod l = 0}; fixed: A¹ = {j : ⌊j/l⌋ = ⌊i/l⌋}, A² = {j : j mod l ≥ l − c}. Heads 0 … ⌈H/2⌉−1 use
/// A¹ and the others A²; the union over heads is <c>strided(l,causal=false)</c> / <c>fixed(l,c,causal=false)</c>.
/// No parameters. A row with no allowed real key (a fixed column head on a short input) gives zeros.
/// </summary>
public sealed class SparseTransformerAttention : AttentionVariant
{
    private readonly SparseTransformerOptions _options;
    private readonly int _heads;

    public SparseTransformerAttention(SparseTransformerOptions options, int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SparseTransformerAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (heads < 2)
            throw new ArgumentOutOfRangeException(nameof(heads), heads, "sparse_transformer splits the heads between its two index sets and needs at least 2 heads");
        _options = options;
        _heads = heads;
    }

    public override VariantOptions Options => _options;

    /// <summary>The heads that use the row set A¹ (the rest use A²).</summary>
    public int RowHeads => (_heads + 1) / 2;

    /// <summary>The allowed keys per head for length <paramref name="n"/>: bool [H, N, N].</summary>
    public Tensor HeadMasks(int n, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var i = arange(Scalars.Of(0), Scalars.Of(n), Scalars.Of(1), device: device).unsqueeze(1);   // [N, 1]
        var j = arange(Scalars.Of(0), Scalars.Of(n), Scalars.Of(1), device: device).unsqueeze(0);   // [1, N]
        int l = _options.L;
        var (row, column) = _options.Kind == SparseTransformerKind.Strided
            ? ((i - j).abs().le(Scalars.Of(l)), (i - j).remainder(Scalars.Of(l)).eq(Scalars.Of(0)))   // [N, N] each
            : (i.div(Scalars.Of(l), RoundingMode.floor).eq(j.div(Scalars.Of(l), RoundingMode.floor)), j.remainder(Scalars.Of(l)).ge(Scalars.Of(l - _options.C)).expand(n, n));   // [N, N] each
        var masks = cat([row.unsqueeze(0).expand(RowHeads, n, n), column.unsqueeze(0).expand(_heads - RowHeads, n, n)], 0);   // [H, N, N]
        return scope.MoveToOuter(masks);
    }

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        CheckInputs(q, k, v, hidden, keyPadding);
        if (q.shape[1] != _heads)
            throw new ArgumentException($"sparse_transformer was built for {_heads} heads, got {q.shape[1]}", nameof(q));
        using var scope = NewDisposeScope();
        var allowed = HeadMasks((int)q.shape[2], q.device).unsqueeze(0).logical_and(VariantMath.KeyMask(keyPadding));  // [B, H, N, N]
        var probabilities = VariantMath.MaskedSoftmax(VariantMath.Scores(q, k), allowed);   // [B, H, N, N]
        return scope.MoveToOuter(probabilities.matmul(v));                          // [B, H, N, D]
    }

    public override VariantReport Report() =>
        new(_options.ToString(), new Dictionary<string, IReadOnlyList<double>> { ["row_heads"] = [RowHeads], ["column_heads"] = [_heads - RowHeads] });
}
