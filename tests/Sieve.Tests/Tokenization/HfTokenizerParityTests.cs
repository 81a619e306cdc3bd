// SieveTokenizer against HF's slow BertTokenizer on real GLUE rows with non-ASCII text and on hand-written edge cases
// (symbols, emoji, control and zero-width characters, CJK, special tokens). The expected ids come from
// make_hf_fixture.py, an independent standard-library re-implementation of HF's algorithm, stored in
// hf_tokenizer_fixture.json; hf_fixture_vocab.txt is the subset of bert-base-uncased those tokens need.
using System.Text;
using System.Text.Json;
using Sieve.TestSupport;
using Sieve.Tokenization;

namespace Sieve.Tests.Tokenization;

public sealed class HfTokenizerParityTests
{
    // Large enough that no fixture row is truncated: the fixture holds HF's untruncated ids.
    private static readonly EncodeOptions _whole = new() { MaxLength = 100_000 };

    private static readonly Lazy<JsonDocument> _fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "hf_tokenizer_fixture.json"))));

    private static string Folder => Path.Combine(SharedData.RepositoryRoot, "tests", "Sieve.Tests", "Tokenization");

    private static string SmallVocab => Path.Combine(Folder, "hf_fixture_vocab.txt");

    private static string FullVocab => Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt");

    [Fact]
    public void Single_sentences_match_HF_on_the_small_vocabulary()
    {
        AssertSingles(SieveTokenizer.Create(SmallVocab), "single", "small_ids");
    }

    [Fact]
    public void Single_sentences_match_HF_on_bert_base_uncased()
    {
        AssertSingles(SieveTokenizer.Create(FullVocab), "single", "ids");
    }

    [Fact]
    public void Cased_sentences_match_HF_on_the_small_vocabulary()
    {
        AssertSingles(SieveTokenizer.Create(SmallVocab, new TokenizerOptions { LowerCase = false }), "cased", "small_ids");
    }

    [Fact]
    public void Cased_sentences_match_HF_on_bert_base_uncased()
    {
        AssertSingles(SieveTokenizer.Create(FullVocab, new TokenizerOptions { LowerCase = false }), "cased", "ids");
    }

    [Fact]
    public void RTE_pairs_match_HF_on_the_small_vocabulary()
    {
        AssertPairs(SieveTokenizer.Create(SmallVocab), "small_ids");
    }

    [Fact]
    public void RTE_pairs_match_HF_on_bert_base_uncased()
    {
        AssertPairs(SieveTokenizer.Create(FullVocab), "ids");
    }

    [Fact]
    public void The_fixture_covers_the_reported_cases()
    {
        // Guards the fixture itself: the rows the issue names are there, with HF's answer for them.
        var rows = Rows("single").ToDictionary(r => r.GetProperty("text").GetString()!, r => Tokens(r, "tokens"));
        Assert.Equal<string>(["[CLS]", "it", "cost", "£5", ",", "or", "€", "##10", ".", "[SEP]"], rows["It cost £5, or €10."]);
        Assert.Equal<string>(["[CLS]", "i", "love", "it", "[UNK]", "!", "[SEP]"], rows["I love it 😀!"]);
        Assert.Equal<string>(["[CLS]", "a", "b", "[SEP]"], rows["a\r\nb"]);
        Assert.Equal<string>(["[CLS]", "zero", "##wi", "##dt", "##h", "space", "[SEP]"], rows["zero\u200bwidth space"]);
        Assert.True(Rows("single").Count(r => r.GetProperty("source").GetString()!.StartsWith("RTE/", StringComparison.Ordinal)) >= 24);
        Assert.True(Rows("single").Count(r => r.GetProperty("source").GetString()!.StartsWith("SST-2/", StringComparison.Ordinal)) >= 20);
    }

    [Fact]
    public void Every_basic_token_is_one_word_and_a_special_token_in_the_text_keeps_its_id()
    {
        var tokenizer = SieveTokenizer.Create(SmallVocab);
        var x = tokenizer.Encode("it cost £5, [SEP] it");

        Assert.Equal<string>(["[CLS]", "it", "cost", "£5", ",", "[SEP]", "it", "[SEP]"], x.Tokens);
        Assert.Equal<int>([-1, 0, 1, 2, 3, 4, 5, -1], x.WordIds);
        Assert.Equal<int>([0, 7], x.SpecialTokenPositions);
        Assert.Equal(tokenizer.SepTokenId, x.InputIds[5]);
    }

    private static IEnumerable<JsonElement> Rows(string section) => _fixture.Value.RootElement.GetProperty(section).EnumerateArray();

    private static string[] Tokens(JsonElement row, string name) => [.. row.GetProperty(name).EnumerateArray().Select(v => v.GetString()!)];

    private static int[] Ints(JsonElement row, string name) => [.. row.GetProperty(name).EnumerateArray().Select(v => v.GetInt32())];

    // One report for all rows, so a failure shows every row that differs rather than the first.
    private static void AssertSingles(SieveTokenizer tokenizer, string section, string ids)
    {
        var failures = new StringBuilder();
        var count = 0;
        foreach (var row in Rows(section))
        {
            count++;
            var text = row.GetProperty("text").GetString()!;
            var x = tokenizer.Encode(text, options: _whole);
            Compare(failures, row.TryGetProperty("source", out var s) ? s.GetString()! : "cased", text, Tokens(row, "tokens"), Ints(row, ids), x);
        }
        Assert.True(count > 0);
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static void AssertPairs(SieveTokenizer tokenizer, string ids)
    {
        var failures = new StringBuilder();
        var count = 0;
        foreach (var row in Rows("pairs"))
        {
            count++;
            var x = tokenizer.Encode(row.GetProperty("first").GetString()!, row.GetProperty("second").GetString()!, _whole);
            var source = row.GetProperty("source").GetString()!;
            Compare(failures, source, "(pair)", Tokens(row, "tokens"), Ints(row, ids), x);
            if (!x.TokenTypeIds.SequenceEqual(Ints(row, "token_type_ids")))
                failures.AppendLine($"{source}: token types differ");
        }
        Assert.Equal(6, count);
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static void Compare(StringBuilder failures, string source, string text, string[] tokens, int[] ids, TokenizedInput x)
    {
        if (x.InputIds.SequenceEqual(ids) && x.Tokens.SequenceEqual(tokens, StringComparer.Ordinal)) return;
        var escaped = JsonSerializer.Serialize(text);
        failures.AppendLine($"{source} {escaped[..Math.Min(escaped.Length, 120)]}");
        failures.AppendLine($"  HF:    {string.Join(' ', tokens)}");
        failures.AppendLine($"  Sieve: {string.Join(' ', x.Tokens)}");
    }
}
