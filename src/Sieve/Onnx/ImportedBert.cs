// The result of reading a BERT-family ONNX export: the config read off the graph and the weights under HF key names.
using Sieve.Modeling;

namespace Sieve.Onnx;

/// <summary>A BERT model recovered from an ONNX graph, ready to be written as an HF folder.</summary>
/// <param name="Config">Sizes, activation and LayerNorm eps, as the graph computes them.</param>
/// <param name="Weights">Every weight under its HF <c>BertModel</c> state-dict key.</param>
/// <param name="HasPooler">Whether the graph computes BERT's pooler (dense + tanh over [CLS]).</param>
/// <param name="Source">The file (or resource) it was read from, for messages.</param>
public sealed record ImportedBert(BertConfig Config, IReadOnlyDictionary<string, ImportedTensor> Weights, bool HasPooler, string Source)
{
    /// <summary>Parameters in all (the pooler included when present).</summary>
    public long ParameterCount => Weights.Values.Sum(w => (long)w.Values.Length);
}
