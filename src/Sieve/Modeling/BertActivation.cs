// The feed-forward activations HF's ACT2FN offers for BERT configs that Sieve supports.
namespace Sieve.Modeling;

/// <summary>Activation of the intermediate layer and of the MLM head transform.</summary>
public enum BertActivation
{
    /// <summary>Exact GELU, x·Φ(x) with the erf (HF "gelu", BERT's own).</summary>
    Gelu,

    /// <summary>GELU's tanh approximation (HF "gelu_new", "gelu_pytorch_tanh").</summary>
    GeluTanh,

    /// <summary>max(0, x).</summary>
    Relu,
}
