// One weight read out of an ONNX graph, already in Hugging Face's layout (Linear weights [out, in]).
namespace Sieve.Onnx;

/// <summary>A float32 tensor's values (row-major) and shape.</summary>
public sealed record ImportedTensor(float[] Values, long[] Shape);
