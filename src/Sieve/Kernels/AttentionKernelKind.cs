// The closed set of attention kernels (DESIGN.md §1, kernel layer): all compute the same function, at different costs.
namespace Sieve.Kernels;

/// <summary>Which kernel computes softmax(QKᵀ/√D restricted to the layout)·V.</summary>
public enum AttentionKernelKind
{
    /// <summary>Full scores, mask, softmax in plain tensor ops: the specification every other kernel is tested against.</summary>
    Reference,

    /// <summary>libtorch's scaled_dot_product_attention with the dense mask: the dense baseline; takes a float bias.</summary>
    Sdpa,

    /// <summary>Computes only the non-empty b×b tiles of the block layout, with the exact token mask inside tiles.</summary>
    BlockSparse,

    /// <summary>Exact token-level sparse attention over the CSR layout in C#, never materialising [B, H, N, N].</summary>
    Csr,

    /// <summary>
    /// A window of whole key blocks per query block as overlapping strided views of K and V (no gathered copies), plus
    /// the few global rows and columns as a small dense part; layouts that are not banded run on BlockSparse.
    /// </summary>
    Banded,

    /// <summary>
    /// Picks Sdpa, BlockSparse, Banded or Csr per call from a cost model calibrated per machine (<see cref="AutoKernel"/>,
    /// <c>sieve bench calibrate</c>); the choice never changes the result.
    /// </summary>
    Auto,
}
