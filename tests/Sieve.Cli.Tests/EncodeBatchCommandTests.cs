// `sieve encode --input FILE --output FILE` on the tiny-bert fixture: one JSON line per input line, in order, each
// holding what `sieve encode --text` gives for that text (batching and padding change nothing beyond float rounding);
// TSV with a header; a bad line exits 2 naming the file and line and leaves no output behind.
using System.Text.Json;
using Sieve.TestSupport;

namespace Sieve.Cli.Tests;

public sealed class EncodeBatchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-encode-batch-").FullName;

    private static string Tiny => Fixtures.PathOf("tiny-bert");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Jsonl_GivesOneLinePerInput_AsEncodeGivesForEachText()
    {
        var input = Write("texts.jsonl",
            """{"text": "w1 w2 w3"}""",
            """{"text": "w4 w5", "text_pair": "w6 w7", "id": 7}""",
            """{"text": "w8 w9 w10 w11 w12 w13 w14 w15", "text_pair": null}""");
        var output = Path.Combine(_dir, "out.jsonl");
        var (code, stdout, stderr) = HelpTests.RunSieve("encode", "--model", Tiny, "--input", input, "--output", output, "--batch-size", "2", "--pattern", "local(1)+global(1)");
        Assert.True(code == 0, stderr);
        Assert.Contains("3 texts encoded", stdout, StringComparison.Ordinal);
        Assert.Contains("encoded 2/3", stderr, StringComparison.Ordinal);   // progress, batch by batch

        var lines = File.ReadAllLines(output);
        Assert.Equal(3, lines.Length);
        (string Text, string? Pair)[] texts = [("w1 w2 w3", null), ("w4 w5", "w6 w7"), ("w8 w9 w10 w11 w12 w13 w14 w15", null)];
        for (int i = 0; i < 3; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var got = line.RootElement;
            Assert.Equal(i + 1, got.GetProperty("line").GetInt32());
            string[] single = ["encode", "--model", Tiny, "--text", texts[i].Text, "--pattern", "local(1)+global(1)", "--format", "json"];
            if (texts[i].Pair is { } pair) single = [.. single, "--text-pair", pair];
            var (one, alone, error) = HelpTests.RunSieve(single);
            Assert.True(one == 0, error);
            using var expected = JsonDocument.Parse(alone);
            var want = expected.RootElement;
            Assert.Equal(want.GetProperty("inputIds").GetArrayLength(), got.GetProperty("tokens").GetInt32());
            Assert.Equal("mean", got.GetProperty("embedding").GetString());
            foreach (var field in new[] { "sentenceEmbedding", "poolerOutput", "logits" })
                AssertClose(want.GetProperty(field), got.GetProperty(field));
            Assert.Equal(want.GetProperty("predicted").GetString(), got.GetProperty("predicted").GetString());
        }
    }

    [Fact]
    public void Tsv_WithAHeader_ReadsTextAndTextPairColumns()
    {
        var input = Write("texts.tsv", "id\ttext\ttext_pair", "a\tw1 w2\tw3", "b\tw4\t");
        var output = Path.Combine(_dir, "out.jsonl");
        var (code, _, stderr) = HelpTests.RunSieve("encode", "--model", Tiny, "--input", input, "--output", output, "--embedding", "cls");
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([2, 3], lines.Select(l => l.GetProperty("line").GetInt32()));
        Assert.Equal(6, lines[0].GetProperty("tokens").GetInt32());   // [CLS] w1 w2 [SEP] w3 [SEP]
        Assert.Equal(3, lines[1].GetProperty("tokens").GetInt32());   // an empty text_pair is no pair
        Assert.Equal("cls", lines[1].GetProperty("embedding").GetString());
    }

    [Theory]
    [InlineData("bad.jsonl", "{\"text\": \"w1\"}\n{\"text\": 3}\n", ":2: \"text\" must be a string")]
    [InlineData("bad.jsonl", "{\"text\": \"w1\"}\n\n{\"text\": \"w2\"}\n", ":2: blank line")]
    [InlineData("bad.jsonl", "{\"text\": \"w1\"}\n{\"text\": \"w2\"\n", ":2: not valid JSON")]
    [InlineData("bad.tsv", "text\ttext_pair\nw1\tw2\nw3\n", ":3: 1 tab-separated field(s) where the header has 2")]
    [InlineData("bad.tsv", "sentence\nw1\n", ":1: the header has no 'text' column")]
    [InlineData("bad.txt", "w1\n", "give a .jsonl file")]
    public void ABadLine_Exits2_NamingTheLine_AndWritesNothing(string name, string content, string message)
    {
        var input = Path.Combine(_dir, name);
        File.WriteAllText(input, content);
        var output = Path.Combine(_dir, "out.jsonl");
        var (code, _, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--input", input, "--output", output);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
        Assert.Equal([name], Directory.GetFiles(_dir).Select(Path.GetFileName));   // no output, no temporary file
    }

    [Fact]
    public void TextAndInput_OrInputWithoutOutput_Exit2()
    {
        var input = Write("texts.jsonl", """{"text": "w1"}""");
        var (code, _, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--input", input, "--text", "w1", "--output", Path.Combine(_dir, "o.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("not both", error, StringComparison.Ordinal);
        (code, _, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--input", input);
        Assert.Equal(2, code);
        Assert.Contains("--input needs --output", error, StringComparison.Ordinal);
        (code, _, error) = HelpTests.RunSieve("encode", "--model", Tiny);
        Assert.Equal(2, code);
        Assert.Contains("give --text TEXT, or --input FILE", error, StringComparison.Ordinal);
    }

    private static void AssertClose(JsonElement expected, JsonElement actual)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.Equal(JsonValueKind.Null, actual.ValueKind);
            return;
        }
        var want = expected.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var got = actual.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i], 5);
    }
}
