// Which length projections a Linformer shares (Wang et al. 2020 §4; fairseq examples/linformer; METHODS.md §8).
namespace Sieve.Variants;

/// <summary>Sharing of the Linformer projections E (keys) and F (values); every choice already shares them across heads.</summary>
public enum LinformerSharing
{
    /// <summary>E and F per layer ("headwise" in the paper: shared by the heads of a layer).</summary>
    None,

    /// <summary>E = F within a layer (fairseq <c>shared_kv_compressed</c>).</summary>
    Kv,

    /// <summary>One matrix for keys and values in every layer (fairseq <c>shared_layer_kv_compressed</c>).</summary>
    Layer,
}
