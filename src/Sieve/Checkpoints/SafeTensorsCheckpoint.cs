// A model's weights in a directory: one model.safetensors, or shards listed by model.safetensors.index.json (the
// layout Hugging Face's save_pretrained writes). Opens every file, validates the index against the shards, and reads
// any tensor by name.
using System.Text.Json;
using Sieve.Data;
using TorchSharp;

namespace Sieve.Checkpoints;

/// <summary>The tensors of a single-file or sharded safetensors checkpoint, by name.</summary>
public sealed class SafeTensorsCheckpoint : IDisposable
{
    /// <summary>The single-file weights name.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The sharded weights index name.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafeTensorsFile> _files;
    private readonly Dictionary<string, (SafeTensorsFile File, SafeTensorsEntry Entry)> _byName;

    private SafeTensorsCheckpoint(List<SafeTensorsFile> files, Dictionary<string, (SafeTensorsFile, SafeTensorsEntry)> byName)
    {
        _files = files;
        _byName = byName;
    }

    /// <summary>Every tensor name, in ordinal order.</summary>
    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether a tensor of that name is present.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    public SafeTensorsEntry Entry(string name) =>
        _byName.TryGetValue(name, out var e) ? e.Entry : throw new CheckpointException($"the checkpoint has no tensor named '{name}'.");

    /// <summary>Reads <paramref name="name"/> into a new CPU tensor of its stored type.</summary>
    public torch.Tensor Read(string name) =>
        _byName.TryGetValue(name, out var e) ? e.File.Read(e.Entry) : throw new CheckpointException($"the checkpoint has no tensor named '{name}'.");

    /// <summary>Opens one safetensors file.</summary>
    public static SafeTensorsCheckpoint OpenFile(string path)
    {
        var file = SafeTensorsFile.Open(path);
        return new SafeTensorsCheckpoint([file], file.Entries.ToDictionary(e => e.Name, e => (file, e), StringComparer.Ordinal));
    }

    /// <summary>
    /// Opens the weights of <paramref name="directory"/>: <c>model.safetensors</c> or, when absent,
    /// <c>model.safetensors.index.json</c> and its shards. Refuses <c>pytorch_model.bin</c> (pickle runs code).
    /// </summary>
    public static SafeTensorsCheckpoint OpenDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new CheckpointException($"{directory}: no such model directory.");
        var single = Path.Combine(directory, SingleFileName);
        if (File.Exists(single)) return OpenFile(single);
        var index = Path.Combine(directory, IndexFileName);
        if (File.Exists(index)) return OpenIndex(index);
        foreach (var pickled in new[] { "pytorch_model.bin", "pytorch_model.bin.index.json" })
        {
            if (File.Exists(Path.Combine(directory, pickled)))
                throw new CheckpointException(
                    $"{directory} holds {pickled}, a Python pickle, which Sieve never loads because unpickling runs arbitrary code. " +
                    "Convert it once to safetensors in Python: `from transformers import AutoModel; AutoModel.from_pretrained(dir).save_pretrained(dir, safe_serialization=True)` " +
                    "(or use the Hugging Face 'convert to safetensors' space), then load the directory again.");
        }
        throw new CheckpointException($"{directory} has neither {SingleFileName} nor {IndexFileName}; it is not a Hugging Face model directory with safetensors weights.");
    }

    /// <summary>Opens a sharded checkpoint from its index file; the shards must sit beside it.</summary>
    public static SafeTensorsCheckpoint OpenIndex(string indexPath)
    {
        ArgumentNullException.ThrowIfNull(indexPath);
        var weightMap = ReadWeightMap(indexPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var files = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        var byName = new Dictionary<string, (SafeTensorsFile, SafeTensorsEntry)>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in weightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                // A shard name is a plain file name beside the index: anything else could reach outside the directory.
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or ".." || shard.Contains('\\', StringComparison.Ordinal))
                    throw new CheckpointException($"{indexPath}: shard '{shard}' is not a plain file name in the index's directory.");
                files[shard] = SafeTensorsFile.Open(Path.Combine(directory, shard));
            }
            foreach (var (name, shard) in weightMap)
            {
                var file = files[shard];
                if (!file.Contains(name))
                    throw new CheckpointException($"{indexPath}: the index puts '{name}' in {shard}, which does not hold it.");
                byName[name] = (file, file.Entry(name));
            }
            foreach (var (shard, file) in files)
            {
                var stray = file.Entries.FirstOrDefault(e => !weightMap.TryGetValue(e.Name, out var s) || s != shard);
                if (stray is not null)
                    throw new CheckpointException($"{indexPath}: shard {shard} holds '{stray.Name}', which the index does not assign to it.");
            }
            return new SafeTensorsCheckpoint([.. files.Values], byName);
        }
        catch
        {
            foreach (var file in files.Values) file.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        if (!File.Exists(indexPath)) throw new CheckpointException($"{indexPath}: no such index file.");
        if (RegularFile.Problem(indexPath, "the index file") is { } problem) throw new CheckpointException(problem);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{indexPath}: not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{indexPath}: expected an object with a \"weight_map\" object (tensor name → shard file).");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in map.EnumerateObject())
            {
                if (item.Value.ValueKind != JsonValueKind.String)
                    throw new CheckpointException($"{indexPath}: weight_map['{item.Name}'] must be a shard file name.");
                if (!result.TryAdd(item.Name, item.Value.GetString()!))
                    throw new CheckpointException($"{indexPath}: weight_map names '{item.Name}' twice.");
            }
            if (result.Count == 0) throw new CheckpointException($"{indexPath}: weight_map is empty.");
            return result;
        }
    }
}
