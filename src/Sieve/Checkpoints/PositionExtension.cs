// `sieve extend`: a model folder whose position table is grown by Longformer's copy initialisation (PositionTable), so
// that it reads inputs longer than it was trained on. Only the table (and an old position_ids buffer) change; every
// other tensor is written back bit for bit, and the new folder appears whole or not at all.
using System.Text.Json.Nodes;
using Sieve.Modeling;
using Sieve.Specs;
using Sieve.Tokenization;
using Sieve.Variants;
using static TorchSharp.torch;

namespace Sieve.Checkpoints;

/// <summary>Extends the position table of an HF model folder into a new folder.</summary>
public static class PositionExtension
{
    /// <summary>The position table's key, after the optional "bert." prefix.</summary>
    public const string TableKey = "embeddings.position_embeddings.weight";

    /// <summary>
    /// Writes the model of <paramref name="source"/> with <paramref name="maxPositions"/> positions to the new folder
    /// <paramref name="output"/>: the position table tiled (<see cref="PositionTable.Tile"/>), a <c>position_ids</c>
    /// buffer grown, config.json's max_position_embeddings set, vocab.txt copied and tokenizer_config.json kept with its
    /// model_max_length following the table. Staged beside <paramref name="output"/> and renamed into place.
    /// </summary>
    /// <exception cref="ArgumentException">The size does not extend the table, or the output folder is not empty.</exception>
    /// <exception cref="CheckpointException">The folder is not a model whose table can be extended.</exception>
    public static PositionExtensionResult Extend(string source, string output, int maxPositions, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        var config = BertCheckpoint.ReadConfig(source);
        PositionTable.CheckExtension(config.MaxPositionEmbeddings, maxPositions, source);
        CheckAttention(config, source);
        CheckOutput(output);

        var full = Path.GetFullPath(output.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{output}: cannot write a model folder at a file-system root.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            int tensors = WriteWeights(source, staging, config.MaxPositionEmbeddings, maxPositions, progress);
            var extended = config with { MaxPositionEmbeddings = maxPositions };
            File.WriteAllText(Path.Combine(staging, BertCheckpoint.ConfigFileName), extended.ToJson());
            WriteTokenizer(source, staging, maxPositions);
            if (Directory.Exists(full)) Directory.Delete(full);     // empty: CheckOutput refused anything else
            Directory.Move(staging, full);
            progress?.Report($"wrote {full}");
            return new PositionExtensionResult(full, config.MaxPositionEmbeddings, maxPositions, tensors);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// The config of a model that training (<c>--max-positions</c>) extends in memory: <paramref name="config"/> with
    /// <paramref name="maxPositions"/> positions when that is more; the weights then load with
    /// <see cref="CheckpointLoadOptions.TilePositions"/>. Null or the same size leaves it as it is.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer positions, or a model trained from scratch (no learned table to copy).</exception>
    public static BertConfig ConfigFor(BertConfig config, int? maxPositions, string? modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (maxPositions is not { } wanted || wanted == config.MaxPositionEmbeddings) return config;
        if (modelDirectory is null)
            throw new ArgumentException($"--max-positions copies a pre-trained model's learned position table; a model trained from scratch has none. Set max_position_embeddings to {wanted} in the config instead.");
        PositionTable.CheckExtension(config.MaxPositionEmbeddings, wanted, modelDirectory);
        CheckAttention(config, modelDirectory);
        return config with { MaxPositionEmbeddings = wanted };
    }

    /// <summary>The status line of a model whose table <see cref="ConfigFor"/> grew in memory.</summary>
    public static string Describe(string modelDirectory, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int stored = BertCheckpoint.ReadConfig(modelDirectory).MaxPositionEmbeddings;
        return stored == config.MaxPositionEmbeddings
            ? $"positions: {stored}, as the model has"
            : $"positions: {stored} → {config.MaxPositionEmbeddings}, the learned table copied over the longer one (Longformer, Beltagy et al. 2020, §5)";
    }

    /// <summary>
    /// Refuses a model whose saved attention variants have weights sized by the position count (Linformer's
    /// projections, Synthesizer's synthetic matrices): tiling a table does not say how to grow those.
    /// </summary>
    /// <exception cref="CheckpointException">The config saves such a variant.</exception>
    public static void CheckAttention(BertConfig config, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Sieve?.Attention is not { } saved) return;
        var spec = AttentionSpec.Parse(saved);
        var sized = Enumerable.Range(0, config.NumHiddenLayers).Select(spec.VariantFor).FirstOrDefault(v => v is LinformerOptions or SynthesizerOptions);
        if (sized is not null)
            throw new CheckpointException($"{source} attends with {sized}, whose weights are sized by the {config.MaxPositionEmbeddings} positions; only the position table can be extended. Extend the model before training that variant.");
    }

    // Every tensor read in its stored dtype and written back as it was, except the table (tiled) and position_ids.
    private static int WriteWeights(string source, string staging, int stored, int rows, IProgress<string>? progress)
    {
        using var checkpoint = SafeTensorsCheckpoint.OpenDirectory(source);
        var tables = checkpoint.Names.Where(n => n == TableKey || n == BertCheckpoint.BaseModelPrefix + TableKey).ToList();
        if (tables.Count != 1)
            throw new CheckpointException($"{source} holds {(tables.Count == 0 ? "no" : "two")} position table{(tables.Count == 0 ? "" : "s")} ({TableKey}); it is not a BERT with learned absolute positions.");
        var table = checkpoint.Entry(tables[0]);
        if (table.Shape.Count != 2 || table.Shape[0] != stored)
            throw new CheckpointException($"{source}: {tables[0]} is {table.ShapeText} but config.json says max_position_embeddings {stored}; the folder's config does not describe its weights.");

        using var scope = NewDisposeScope();
        var written = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in checkpoint.Names)
        {
            var tensor = checkpoint.Read(name);
            written[name] = name == tables[0] ? PositionTable.Tile(tensor, rows)                                  // [rows, H]
                : name.EndsWith("position_ids", StringComparison.Ordinal) ? PositionTable.Ids(tensor, rows)       // [1, rows]
                : tensor;
        }
        progress?.Report($"{tables[0]}: {table.ShapeText} → [{rows}, {table.Shape[1]}] ({rows / (double)stored:0.##} copies of the learned rows); {written.Count - 1} other tensors unchanged");
        SafeTensorsWriter.Write(Path.Combine(staging, SafeTensorsCheckpoint.SingleFileName), written, new Dictionary<string, string> { ["format"] = "pt" });
        return written.Count;
    }

    // vocab.txt as it is; tokenizer_config.json as it is but for model_max_length, which HF tokenizers truncate to.
    // A folder without one gets the file Sieve writes, from the options its tokenizer.json (or HF's defaults) give.
    private static void WriteTokenizer(string source, string staging, int rows)
    {
        if (BertCheckpoint.VocabPath(source) is not { } vocab) return;
        File.Copy(vocab, Path.Combine(staging, BertCheckpoint.VocabFileName));
        var config = Path.Combine(source, TokenizerOptions.ConfigFileName);
        if (!File.Exists(config))
        {
            TokenizerOptions.FromCheckpoint(source).Save(staging, rows);
            return;
        }
        if (JsonNode.Parse(File.ReadAllText(config)) is not JsonObject json)
            throw new CheckpointException($"{config} is not a JSON object; fix or remove it.");
        if (json.ContainsKey("model_max_length")) json["model_max_length"] = rows;
        File.WriteAllText(Path.Combine(staging, TokenizerOptions.ConfigFileName), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static void CheckOutput(string output)
    {
        if (File.Exists(output)) throw new ArgumentException($"{output} is a file; give a new folder to write the extended model to.");
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new ArgumentException($"{output} exists and is not empty; give a new folder (nothing was written).");
    }
}
