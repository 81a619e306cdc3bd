// Temporary: tokenizer_config.json writer used by the ONNX import until the tokenizer work lands.
using System.Text.Json;

namespace Sieve.Tokenization;

/// <summary>Writes HF's tokenizer_config.json.</summary>
public static class TokenizerConfigFile
{
    public static void Write(string directory, TokenizerOptions options, int? modelMaxLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        var json = new Dictionary<string, object?>
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = options.LowerCase,
            ["strip_accents"] = options.StripAccents,
            ["tokenize_chinese_chars"] = options.TokenizeChineseChars,
            ["unk_token"] = "[UNK]",
            ["sep_token"] = "[SEP]",
            ["pad_token"] = "[PAD]",
            ["cls_token"] = "[CLS]",
            ["mask_token"] = "[MASK]",
            ["model_max_length"] = modelMaxLength,
        };
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
    }
}
