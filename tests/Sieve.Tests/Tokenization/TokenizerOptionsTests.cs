// Creating tokenizers: errors for a missing, empty or non-BERT vocab.txt, option validation, and reading the
// lower-casing choice from a checkpoint folder's tokenizer_config.json / tokenizer.json.
using Sieve.Tokenization;

namespace Sieve.Tests.Tokenization;

public sealed class TokenizerOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_missing_vocabulary_file_is_an_error_naming_the_path()
    {
        var path = Path.Combine(_dir, "nope", "vocab.txt");

        var e = Assert.Throws<FileNotFoundException>(() => SieveTokenizer.Create(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_vocabulary_file_is_an_error_naming_the_path()
    {
        var path = Write("vocab.txt", "\n\n");

        var e = Assert.Throws<InvalidDataException>(() => SieveTokenizer.Create(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_without_bert_special_tokens_is_an_error_listing_them()
    {
        var path = Write("vocab.txt", "[PAD]\n[UNK]\nhello\n");

        var e = Assert.Throws<InvalidDataException>(() => SieveTokenizer.Create(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("[CLS], [SEP], [MASK]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_vocabulary_gives_ids_by_line_and_its_special_token_ids()
    {
        var path = Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n##s\n");
        var tokenizer = SieveTokenizer.Create(path);

        Assert.Equal(8, tokenizer.VocabularySize);
        Assert.Equal((2, 3, 0), (tokenizer.ClsTokenId, tokenizer.SepTokenId, tokenizer.PadTokenId));
        Assert.Equal<int>([2, 5, 6, 7, 1, 3], tokenizer.Encode("Hello worlds xyz").InputIds);
    }

    [Fact]
    public void Encode_options_reject_a_max_length_without_room_for_cls_and_sep()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new EncodeOptions { MaxLength = 1 });
        Assert.Contains("at least 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EncodeOptions { Padding = (PaddingStrategy)7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EncodeOptions { Truncation = (TruncationStrategy)7 });
    }

    [Fact]
    public void Defaults_lower_case_and_strip_accents_unless_told_otherwise()
    {
        Assert.True(TokenizerOptions.Default.LowerCase);
        Assert.True(TokenizerOptions.Default.StripsAccents);
        Assert.False(new TokenizerOptions { LowerCase = false }.StripsAccents);
        Assert.True(new TokenizerOptions { LowerCase = false, StripAccents = true }.StripsAccents);
    }

    [Fact]
    public void A_checkpoint_without_tokenizer_files_lower_cases()
    {
        Assert.Equal(TokenizerOptions.Default, TokenizerOptions.FromCheckpoint(_dir));
    }

    [Fact]
    public void Tokenizer_config_do_lower_case_decides_lower_casing()
    {
        Write("tokenizer_config.json", """{ "do_lower_case": false, "strip_accents": null, "model_max_length": 512 }""");

        var options = TokenizerOptions.FromCheckpoint(_dir);

        Assert.False(options.LowerCase);
        Assert.Null(options.StripAccents);
        Assert.False(options.StripsAccents);
        Assert.True(options.TokenizeChineseChars);
    }

    [Fact]
    public void Without_tokenizer_config_the_normalizer_of_tokenizer_json_decides()
    {
        Write("tokenizer.json", """{ "normalizer": { "type": "BertNormalizer", "lowercase": false, "strip_accents": true, "handle_chinese_chars": false } }""");

        var options = TokenizerOptions.FromCheckpoint(_dir);

        Assert.Equal(new TokenizerOptions { LowerCase = false, StripAccents = true, TokenizeChineseChars = false }, options);
    }

    [Fact]
    public void A_non_boolean_setting_or_broken_json_is_an_error_naming_the_file()
    {
        var config = Write("tokenizer_config.json", """{ "do_lower_case": "yes" }""");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerOptions.FromCheckpoint(_dir));
        Assert.Contains(config, e.Message, StringComparison.Ordinal);
        Assert.Contains("do_lower_case", e.Message, StringComparison.Ordinal);

        Write("tokenizer_config.json", "{ not json");
        var f = Assert.Throws<InvalidDataException>(() => TokenizerOptions.FromCheckpoint(_dir));
        Assert.Contains(config, f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_checkpoint_folder_is_an_error_naming_it()
    {
        var path = Path.Combine(_dir, "absent");

        var e = Assert.Throws<DirectoryNotFoundException>(() => SieveTokenizer.FromCheckpoint(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_writes_an_HF_tokenizer_config_that_reads_back_to_the_same_options()
    {
        var options = new TokenizerOptions { LowerCase = false, StripAccents = true, TokenizeChineseChars = false };
        options.Save(_dir, modelMaxLength: 128);

        Assert.Equal(options, TokenizerOptions.FromCheckpoint(_dir));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, TokenizerOptions.ConfigFileName)));
        var root = json.RootElement;
        Assert.Equal("BertTokenizer", root.GetProperty("tokenizer_class").GetString());
        Assert.False(root.GetProperty("do_lower_case").GetBoolean());
        Assert.True(root.GetProperty("strip_accents").GetBoolean());
        Assert.False(root.GetProperty("tokenize_chinese_chars").GetBoolean());
        Assert.Equal(128, root.GetProperty("model_max_length").GetInt32());
        Assert.Equal(
            ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"],
            new[] { "unk_token", "sep_token", "pad_token", "cls_token", "mask_token" }.Select(k => root.GetProperty(k).GetString()));
        Assert.Equal([TokenizerOptions.ConfigFileName], Directory.GetFiles(_dir).Select(Path.GetFileName));   // no temporary left over
    }

    [Fact]
    public void Save_replaces_an_existing_config_keeps_a_null_strip_accents_and_omits_an_unknown_max_length()
    {
        new TokenizerOptions { LowerCase = false }.Save(_dir, 512);
        TokenizerOptions.Default.Save(_dir);

        Assert.Equal(TokenizerOptions.Default, TokenizerOptions.FromCheckpoint(_dir));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, TokenizerOptions.ConfigFileName)));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("strip_accents").ValueKind);
        Assert.False(json.RootElement.TryGetProperty("model_max_length", out _));
    }

    [Fact]
    public void Save_refuses_a_non_positive_max_length_saying_what_to_pass()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TokenizerOptions.Default.Save(_dir, 0));
        Assert.Contains("max_position_embeddings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_that_repeats_an_entry_is_an_error_naming_both_lines()
    {
        var path = Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nhello\n");

        var e = Assert.Throws<InvalidDataException>(() => SieveTokenizer.Create(path));
        Assert.Contains("line 7 repeats 'hello' of line 6", e.Message, StringComparison.Ordinal);
    }
}
