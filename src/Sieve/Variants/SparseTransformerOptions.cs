// Options of the Sparse Transformer's factorised heads (Child et al. 2019 §4.2; METHODS.md §5, integration (c)).
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>Spec: <c>sparse_transformer(kind=strided, l=16)</c> or <c>sparse_transformer(kind=fixed, l=16, c=4)</c>.</summary>
public sealed record SparseTransformerOptions : VariantOptions
{
    private readonly int _l = 16;
    private readonly int _c;

    /// <summary>Strided or fixed. Default strided.</summary>
    public SparseTransformerKind Kind { get; init; } = SparseTransformerKind.Strided;

    /// <summary>The stride (strided, ≈ √N) or the block length (fixed). Default 16.</summary>
    public int L
    {
        get => _l;
        init => _l = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(L), value, $"sparse_transformer needs l >= 1, got {value}");
    }

    /// <summary>The summary width of the fixed pattern (1 ≤ c ≤ l; the paper recommends 8–32 for l of 128–256); 0 for strided.</summary>
    public int C
    {
        get => _c;
        init => _c = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(C), value, $"sparse_transformer needs c >= 0, got {value}");
    }

    /// <summary>Throws unless the fields fit the kind: fixed needs 1 ≤ c ≤ l, strided takes no c.</summary>
    public void Validate()
    {
        if (Kind == SparseTransformerKind.Fixed && (C < 1 || C > L))
            throw new ArgumentOutOfRangeException(nameof(C), C, $"sparse_transformer(kind=fixed) needs 1 <= c <= l, got c = {C} with l = {L}");
        if (Kind == SparseTransformerKind.Strided && C != 0)
            throw new ArgumentOutOfRangeException(nameof(C), C, $"sparse_transformer(kind=strided) takes no c (got {C}); c is the fixed pattern's summary width");
    }

    public override AttentionVariant Create(int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null) =>
        new SparseTransformerAttention(this, heads, headSize, hiddenSize, maxLength, device, dtype);

    public override string ToString() => Kind == SparseTransformerKind.Strided
        ? $"sparse_transformer(kind=strided,l={L})"
        : $"sparse_transformer(kind=fixed,l={L},c={C})";
}
