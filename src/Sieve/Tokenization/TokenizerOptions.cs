// The text normalisation a BERT checkpoint was trained with: HF BertTokenizer's do_lower_case, strip_accents and
// tokenize_chinese_chars, read from a checkpoint's tokenizer_config.json or tokenizer.json when it has one, and
// written to the tokenizer_config.json of every model Sieve saves (HF's save_pretrained does the same).
using System.Text.Json;
using System.Text.Json.Nodes;
using Sieve.Data;

namespace Sieve.Tokenization;

/// <summary>
/// How <see cref="SieveTokenizer"/> normalises text before WordPiece. The defaults are HF BertTokenizer's and suit
/// uncased checkpoints (bert-base-uncased); a cased checkpoint needs <see cref="LowerCase"/> = false, which
/// <see cref="FromCheckpoint"/> reads from the checkpoint's own files.
/// </summary>
public sealed record TokenizerOptions
{
    /// <summary>The file, beside vocab.txt, that holds a checkpoint's tokenizer settings.</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    /// <summary>HF's defaults: lower-case, strip accents (because lower-casing), split CJK characters.</summary>
    public static TokenizerOptions Default { get; } = new();

    /// <summary>Lower-case the text before WordPiece (HF <c>do_lower_case</c>). Defaults to true.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>
    /// Remove accents (é → e) before WordPiece (HF <c>strip_accents</c>). Null, the default, follows
    /// <see cref="LowerCase"/>, as HF does: uncased BERT vocabularies hold no accented pieces.
    /// </summary>
    public bool? StripAccents { get; init; }

    /// <summary>Put spaces around CJK ideographs so that each is a word (HF <c>tokenize_chinese_chars</c>). Defaults to true.</summary>
    public bool TokenizeChineseChars { get; init; } = true;

    /// <summary>Whether accents are removed, once <see cref="StripAccents"/>'s default is resolved.</summary>
    public bool StripsAccents => StripAccents ?? LowerCase;

    /// <summary>
    /// The options a checkpoint folder asks for: <c>do_lower_case</c>, <c>strip_accents</c> and
    /// <c>tokenize_chinese_chars</c> from <c>tokenizer_config.json</c>, else <c>lowercase</c>, <c>strip_accents</c> and
    /// <c>handle_chinese_chars</c> from the normalizer in <c>tokenizer.json</c>, else HF's defaults (<see cref="Default"/>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">One of the files is not valid JSON or gives a setting a non-boolean value.</exception>
    public static TokenizerOptions FromCheckpoint(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"checkpoint folder not found: '{directory}'. Give the folder that holds vocab.txt (and tokenizer_config.json).");

        var config = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(config))
        {
            using var json = Parse(config);
            var root = json.RootElement;
            return new TokenizerOptions
            {
                LowerCase = Flag(root, "do_lower_case", config) ?? Default.LowerCase,
                StripAccents = Flag(root, "strip_accents", config),
                TokenizeChineseChars = Flag(root, "tokenize_chinese_chars", config) ?? Default.TokenizeChineseChars,
            };
        }

        var tokenizer = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(tokenizer))
        {
            using var json = Parse(tokenizer);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("normalizer", out var normalizer)
                && normalizer.ValueKind == JsonValueKind.Object)
            {
                return new TokenizerOptions
                {
                    LowerCase = Flag(normalizer, "lowercase", tokenizer) ?? Default.LowerCase,
                    StripAccents = Flag(normalizer, "strip_accents", tokenizer),
                    TokenizeChineseChars = Flag(normalizer, "handle_chinese_chars", tokenizer) ?? Default.TokenizeChineseChars,
                };
            }
        }

        return Default;
    }

    /// <summary>
    /// Writes these options as <c>tokenizer_config.json</c> in <paramref name="directory"/> (created if needed,
    /// replacing any such file), the way HF's BertTokenizer.save_pretrained does: <c>tokenizer_class</c>,
    /// <c>do_lower_case</c>, <c>strip_accents</c>, <c>tokenize_chinese_chars</c>, the five special tokens and, when
    /// given, <c>model_max_length</c> (a BERT model's max_position_embeddings). HF and <see cref="FromCheckpoint"/>
    /// read it back. The file is flushed to disk and renamed into place, so a crash leaves the old file or the new one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modelMaxLength"/> is not positive.</exception>
    public void Save(string directory, int? modelMaxLength = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (modelMaxLength is <= 0)
            throw new ArgumentOutOfRangeException(nameof(modelMaxLength), modelMaxLength, $"model_max_length must be positive, got {modelMaxLength}; pass the model's max_position_embeddings, or null when it is unknown.");
        var json = new JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = LowerCase,
            // null is HF's own default ("follow do_lower_case"), kept as null so the file says what was chosen.
            ["strip_accents"] = StripAccents,
            ["tokenize_chinese_chars"] = TokenizeChineseChars,
            ["do_basic_tokenize"] = true,
            ["unk_token"] = "[UNK]",
            ["sep_token"] = "[SEP]",
            ["pad_token"] = "[PAD]",
            ["cls_token"] = "[CLS]",
            ["mask_token"] = "[MASK]",
        };
        if (modelMaxLength is { } max) json["model_max_length"] = max;

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ConfigFileName);
        var temporary = Path.Combine(directory, $".{ConfigFileName}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                using (var writer = new StreamWriter(stream, leaveOpen: true))
                    writer.Write(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            if (RegularFile.Problem(path, "the tokenizer file") is { } problem) throw new InvalidDataException(problem);
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON ({e.Message}); fix or remove it to use the default text normalisation.", e);
        }
    }

    // A missing key or JSON null means "not set" (HF's strip_accents is null by default); anything but a boolean is an error.
    private static bool? Flag(JsonElement parent, string name, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"'{path}': \"{name}\" must be true, false or null, got {value.GetRawText()}."),
        };
    }
}
