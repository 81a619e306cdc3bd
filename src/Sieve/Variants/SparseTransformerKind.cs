// The two factorised patterns of the Sparse Transformer (Child et al. 2019 §4.2; METHODS.md §5).
namespace Sieve.Variants;

/// <summary>Strided or fixed factorisation.</summary>
public enum SparseTransformerKind
{
    /// <summary>Row: |i − j| ≤ l; column: (i − j) mod l = 0.</summary>
    Strided,

    /// <summary>Row: the own block of length l; column: the last c cells of every block.</summary>
    Fixed,
}
