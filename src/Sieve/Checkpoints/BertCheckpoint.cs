// Loading and saving BERT models as Hugging Face model directories (config.json, model.safetensors or shards,
// vocab.txt, tokenizer_config.json), with HF's key conventions: LayerNorm gamma/beta → weight/bias, the optional "bert." prefix of the base
// model, heads that one side lacks. Saving is atomic: the directory appears complete or not at all.
using Sieve.Modeling;
using Sieve.Specs;
using Sieve.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Sieve.Checkpoints;

/// <summary>Reads and writes BERT models in Hugging Face's directory layout.</summary>
public static class BertCheckpoint
{
    public const string ConfigFileName = "config.json";
    public const string VocabFileName = "vocab.txt";
    /// <summary>HF's base_model_prefix for BERT, with its dot: task models hold the encoder under it.</summary>
    public const string BaseModelPrefix = "bert.";

    /// <summary>Loads a <see cref="BertForSequenceClassification"/> from an HF model directory, in eval mode.</summary>
    public static BertForSequenceClassification LoadForSequenceClassification(string directory, out CheckpointLoadReport report, CheckpointLoadOptions? options = null)
    {
        options ??= new CheckpointLoadOptions();
        var model = new BertForSequenceClassification(ReadConfig(directory), options.Device, options.DType);
        report = LoadWeights(model, directory, options);
        model.eval();
        return model;
    }

    /// <summary>Loads a <see cref="BertForMaskedLM"/> from an HF model directory, in eval mode.</summary>
    public static BertForMaskedLM LoadForMaskedLM(string directory, out CheckpointLoadReport report, CheckpointLoadOptions? options = null)
    {
        options ??= new CheckpointLoadOptions();
        var model = new BertForMaskedLM(ReadConfig(directory), options.Device, options.DType);
        report = LoadWeights(model, directory, options);
        model.eval();
        return model;
    }

    /// <summary>
    /// Loads a bare <see cref="BertModel"/> from an HF model directory, in eval mode; with a pooler only when the
    /// checkpoint has pooler weights.
    /// </summary>
    public static BertModel LoadModel(string directory, out CheckpointLoadReport report, CheckpointLoadOptions? options = null)
    {
        options ??= new CheckpointLoadOptions();
        var config = ReadConfig(directory);
        using var checkpoint = SafeTensorsCheckpoint.OpenDirectory(directory);
        // Sentence-embedding models (snowflake-arctic-embed) ship no pooler: a bare encoder has no head that would train
        // one, so a newly initialised pooler could only ever print random numbers as if they were the model's output.
        var model = new BertModel(config, addPoolingLayer: checkpoint.Names.Any(IsPooler), options.Device, options.DType);
        BertFunctions.InitializeWeights(model, config);
        report = LoadWeights(model, checkpoint, directory, options);
        model.eval();
        return model;
    }

    /// <summary>Reads <c>config.json</c> of <paramref name="directory"/>.</summary>
    public static BertConfig ReadConfig(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new CheckpointException($"{directory}: no such model directory.");
        var path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path)) throw new CheckpointException($"{directory} has no {ConfigFileName}; a Hugging Face model directory needs one.");
        return BertConfig.Load(path);
    }

    /// <summary>The directory's <c>vocab.txt</c>, or null when it has none.</summary>
    public static string? VocabPath(string directory)
    {
        var path = Path.Combine(directory, VocabFileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Copies the directory's safetensors weights into <paramref name="model"/>'s parameters (converted to their dtype),
    /// mapping HF's naming variants. Throws <see cref="CheckpointException"/> on a shape mismatch (naming the key and
    /// both shapes) and on missing or unexpected keys that <paramref name="options"/> does not allow.
    /// </summary>
    public static CheckpointLoadReport LoadWeights(nn.Module model, string directory, CheckpointLoadOptions? options = null)
    {
        using var checkpoint = SafeTensorsCheckpoint.OpenDirectory(directory);
        return LoadWeights(model, checkpoint, directory, options);
    }

    /// <summary>As <see cref="LoadWeights(nn.Module, string, CheckpointLoadOptions?)"/>, from an open checkpoint.</summary>
    public static CheckpointLoadReport LoadWeights(nn.Module model, SafeTensorsCheckpoint checkpoint, string source, CheckpointLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(checkpoint);
        options ??= new CheckpointLoadOptions();
        var state = model.state_dict();
        var modelPrefixed = state.Keys.Any(k => k.StartsWith(BaseModelPrefix, StringComparison.Ordinal));
        var checkpointPrefixed = checkpoint.Names.Any(k => k.StartsWith(BaseModelPrefix, StringComparison.Ordinal));
        var hasPooler = state.Keys.Any(IsPooler);

        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);   // model key → checkpoint key
        var renamed = new List<string>();
        var ignored = new List<string>();
        var unexpected = new List<string>();
        foreach (var name in checkpoint.Names)
        {
            var key = ModelKey(name, modelPrefixed, checkpointPrefixed);
            if (key != name) renamed.Add($"{name} → {key}");
            if (state.ContainsKey(key))
            {
                if (!mapping.TryAdd(key, name))
                    throw new CheckpointException($"{source}: both '{mapping[key]}' and '{name}' map to '{key}'; the checkpoint holds the same weight twice under old and new names.");
            }
            else if (IsTiedAlias(key, state) || (IsIgnorable(key, hasPooler) && !IsMangledHead(key, state)))
            {
                ignored.Add(name);
            }
            else
            {
                unexpected.Add(name);
            }
        }

        var mismatches = new List<string>();
        foreach (var (key, name) in mapping)
        {
            var entry = checkpoint.Entry(name);
            var expected = state[key].shape;
            if (!expected.SequenceEqual(entry.Shape) && !Tiles(key, entry, expected, options))
                mismatches.Add($"'{key}': the checkpoint has {entry.ShapeText} ({name}), the model expects [{string.Join(", ", expected)}]");
        }
        if (mismatches.Count > 0)
            throw new CheckpointException($"{source}: shape mismatch for {string.Join("; ", mismatches)}. Check that config.json describes these weights (hidden_size, vocab_size, num_labels ...).");

        var newlyInitialized = new List<string>();
        var missing = new List<string>();
        foreach (var key in state.Keys.Where(k => !mapping.ContainsKey(k)))
            (IsHead(key, modelPrefixed) ? newlyInitialized : missing).Add(key);

        if (missing.Count > 0 && !options.AllowMissing)
            throw new CheckpointException($"{source}: the checkpoint lacks {missing.Count} weight(s) of the encoder: {Listed(missing)}." +
                (unexpected.Count > 0 ? $" It holds {Listed(unexpected)} instead, which match no parameter of the model (mangled names?)." : "") +
                " It does not fit this model; allow missing keys (AllowMissing) only to start those weights from scratch on purpose.");
        if (unexpected.Count > 0 && !options.AllowUnexpected)
            throw new CheckpointException($"{source}: {unexpected.Count} checkpoint tensor(s) match no parameter of the model: {Listed(unexpected)}. It is not a BERT checkpoint of this layout; allow unexpected keys (AllowUnexpected) to skip them.");

        using (no_grad())
        {
            foreach (var (key, name) in mapping)
            {
                var target = state[key];
                if (target.device_type == DeviceType.META) continue;   // shapes checked; a meta model holds no values
                using var stored = checkpoint.Read(name);
                using var fitted = Tiles(key, checkpoint.Entry(name), target.shape, options) ? PositionTable.Tile(stored, target.shape[0]) : stored.alias();
                using var converted = fitted.to(target.dtype, target.device);
                target.copy_(converted);
            }
        }
        return new CheckpointLoadReport([.. mapping.Keys], newlyInitialized, ignored, missing, unexpected, renamed);
    }

    // An explicit pattern wins; else a BERT model's own settings decide (its learnable pattern, its attention spec; dense
    // saves none); else the config's section.
    private static BertSieveSettings? SieveSettings(nn.Module model, BertConfig config, string? attentionPattern)
    {
        if (attentionPattern is not null) return BertSieveSettings.For(AttentionSpec.Parse(attentionPattern), config.Sieve?.Sublayers);
        var bert = model switch
        {
            BertModel m => m,
            BertForSequenceClassification c => c.Bert,
            BertForMaskedLM l => l.Bert,
            _ => null,
        };
        return bert is null ? config.Sieve : bert.SieveSettings;
    }

    /// <summary>
    /// Saves <paramref name="model"/> as an HF model directory: <c>config.json</c> (with the attention under "sieve":
    /// <paramref name="attentionPattern"/> (any attention spec), else what the model runs, its variants included), <c>model.safetensors</c> (the
    /// parameters in their own dtype, so a reload is bit-identical), a copy of <paramref name="vocabPath"/> and, with it,
    /// <c>tokenizer_config.json</c> from <paramref name="tokenizer"/> (HF's defaults when null), so that a cased model
    /// stays cased when reloaded. Everything is written to a temporary sibling directory and renamed into place, so a
    /// crash never leaves a half-written checkpoint under <paramref name="directory"/>; an existing one is replaced.
    /// </summary>
    public static void Save(nn.Module model, BertConfig config, string directory, string? vocabPath, string? attentionPattern = null, TokenizerOptions? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(directory);
        if (vocabPath is not null && !File.Exists(vocabPath)) throw new CheckpointException($"{vocabPath}: no such vocabulary file to save with the model.");
        var full = Path.GetFullPath(directory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var parent = Path.GetDirectoryName(full) ?? throw new CheckpointException($"{directory}: cannot save a model to a file-system root.");
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(full);
        var staging = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        var retired = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var saved = config with
            {
                Architectures = [model.GetType().Name],
                Sieve = SieveSettings(model, config, attentionPattern),
            };
            SafeTensorsWriter.Write(Path.Combine(staging, SafeTensorsCheckpoint.SingleFileName), model.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
            WriteDurably(Path.Combine(staging, ConfigFileName), saved.ToJson());
            if (vocabPath is not null) WriteTokenizerFiles(staging, vocabPath, tokenizer, config);
            if (Directory.Exists(full)) Directory.Move(full, retired);
            Directory.Move(staging, full);
            if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Writes the tokenizer of a model folder: a copy of <paramref name="vocabPath"/> as vocab.txt and
    /// <c>tokenizer_config.json</c> from <paramref name="tokenizer"/> (HF's defaults when null), with the model's
    /// max_position_embeddings as model_max_length. Replaces what is there; used by every save path.
    /// </summary>
    internal static void WriteTokenizerFiles(string directory, string vocabPath, TokenizerOptions? tokenizer, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(vocabPath);
        ArgumentNullException.ThrowIfNull(config);
        var target = Path.Combine(directory, VocabFileName);
        if (!string.Equals(Path.GetFullPath(vocabPath), Path.GetFullPath(target), StringComparison.Ordinal))
            File.Copy(vocabPath, target, overwrite: true);
        (tokenizer ?? TokenizerOptions.Default).Save(directory, config.MaxPositionEmbeddings);
    }

    private static void WriteDurably(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(text);
        stream.Flush(flushToDisk: true);
    }

    // HF's old names (LayerNorm.gamma/beta) and the base-model prefix, which a bare BertModel checkpoint lacks and a
    // bare BertModel does not want.
    private static string ModelKey(string name, bool modelPrefixed, bool checkpointPrefixed)
    {
        var key = name;
        if (key.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) key = key[..^"gamma".Length] + "weight";
        else if (key.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) key = key[..^"beta".Length] + "bias";
        if (modelPrefixed && !checkpointPrefixed && !IsHeadName(key)) key = BaseModelPrefix + key;
        else if (!modelPrefixed && checkpointPrefixed && key.StartsWith(BaseModelPrefix, StringComparison.Ordinal)) key = key[BaseModelPrefix.Length..];
        return key;
    }

    private static bool IsHeadName(string key) =>
        key.StartsWith("cls.", StringComparison.Ordinal) || key.StartsWith("classifier.", StringComparison.Ordinal);

    private static bool IsPooler(string key) =>
        key.StartsWith("pooler.", StringComparison.Ordinal) || key.StartsWith(BaseModelPrefix + "pooler.", StringComparison.Ordinal);

    // A task head (or the pooler, which only heads read) that the checkpoint lacks: HF initialises it and says so.
    private static bool IsHead(string key, bool modelPrefixed) => (modelPrefixed && !key.StartsWith(BaseModelPrefix, StringComparison.Ordinal)) || IsPooler(key);

    // HF ties the MLM decoder to the word embeddings; checkpoints may still carry the tied copies.
    private static bool IsTiedAlias(string key, IReadOnlyDictionary<string, Tensor> state) =>
        key is "cls.predictions.decoder.weight" or "cls.predictions.decoder.bias" && state.ContainsKey("cls.predictions.bias");

    // Heads and buffers a model may lack: pre-training heads, another task's classifier, the pooler of an MLM model,
    // the position_ids buffer older transformers versions saved.
    private static bool IsIgnorable(string key, bool hasPooler) =>
        IsHeadName(key) || key.EndsWith("position_ids", StringComparison.Ordinal) || (!hasPooler && IsPooler(key));

    // A head tensor under a module the model has (classifier.weigth beside classifier.weight) is a mangled name, not
    // another task's head: ignoring it would leave the real weight random, so it is reported as unexpected.
    private static bool IsMangledHead(string key, IReadOnlyDictionary<string, Tensor> state)
    {
        if (!IsHeadName(key)) return false;
        int dot = key.LastIndexOf('.');
        if (dot < 0) return false;
        var module = key[..(dot + 1)];
        return state.Keys.Any(k => k.StartsWith(module, StringComparison.Ordinal));
    }

    // A position table the model holds more rows of than the checkpoint, when the caller asked to extend it.
    private static bool Tiles(string key, SafeTensorsEntry entry, long[] expected, CheckpointLoadOptions options) =>
        options.TilePositions && key.EndsWith(PositionExtension.TableKey, StringComparison.Ordinal)
        && entry.Shape.Count == 2 && expected.Length == 2 && entry.Shape[1] == expected[1] && entry.Shape[0] < expected[0];

    private static string Listed(List<string> keys) =>
        string.Join(", ", keys.Take(10)) + (keys.Count > 10 ? $" and {keys.Count - 10} more" : "");
}
