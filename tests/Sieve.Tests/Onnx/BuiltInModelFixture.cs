// The two built-in models converted once per test run (into a temporary folder, not the user's cache), with their
// original ONNX bytes for ONNX Runtime.
using Sieve.Models;
using Sieve.Onnx;

namespace Sieve.Tests.Onnx;

/// <summary>Shared by the ONNX tests: minilm and arctic-xs as HF folders, and their ONNX exports.</summary>
public sealed class BuiltInModelFixture : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"sieve-builtin-{Guid.NewGuid():N}");

    public BuiltInModelFixture()
    {
        foreach (var model in BuiltInModels.All)
        {
            var folder = Path.Combine(_root, model.Name);
            Imported[model.Name] = BuiltInModels.Export(model, folder);
            Folders[model.Name] = folder;
            using var onnx = BuiltInModels.OpenResource(model, model.OnnxResource);
            using var bytes = new MemoryStream();
            onnx.CopyTo(bytes);
            Onnx[model.Name] = bytes.ToArray();
        }
    }

    /// <summary>The converted HF folder of each built-in model, by name.</summary>
    public Dictionary<string, string> Folders { get; } = [];

    /// <summary>What the import read off each model's graph, by name.</summary>
    public Dictionary<string, ImportedBert> Imported { get; } = [];

    /// <summary>The original ONNX export of each built-in model, by name.</summary>
    public Dictionary<string, byte[]> Onnx { get; } = [];

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
