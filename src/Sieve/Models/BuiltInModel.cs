// A pre-trained encoder that ships with Sieve: the package whose DLL embeds its fp32 ONNX export and vocab.txt as
// resources, and what a user should know about it (origin, licence, intended pooling).
namespace Sieve.Models;

/// <summary>One built-in pre-trained model.</summary>
/// <param name="Name">The name <c>--model</c> accepts (e.g. <c>minilm</c>).</param>
/// <param name="Upstream">The model it is, as named on its hub (e.g. sentence-transformers/all-MiniLM-L6-v2).</param>
/// <param name="Description">One line: architecture and size.</param>
/// <param name="Licence">The upstream model's licence.</param>
/// <param name="Pooling">Its documented sentence embedding: "mean" (mean of the last hidden state, L2-normalised) or "cls".</param>
/// <param name="AssemblyFile">The DLL under the program's models/ folder that embeds it.</param>
/// <param name="ResourcePrefix">The prefix of its manifest resources (…model.onnx, …vocab.txt).</param>
/// <param name="PackageVersion">The NuGet package version the DLL comes from; the cache folder is named after it.</param>
public sealed record BuiltInModel(
    string Name,
    string Upstream,
    string Description,
    string Licence,
    string Pooling,
    string AssemblyFile,
    string ResourcePrefix,
    string PackageVersion)
{
    /// <summary>The manifest resource holding the ONNX export.</summary>
    public string OnnxResource => ResourcePrefix + "model.onnx";

    /// <summary>The manifest resource holding vocab.txt.</summary>
    public string VocabResource => ResourcePrefix + "vocab.txt";
}
