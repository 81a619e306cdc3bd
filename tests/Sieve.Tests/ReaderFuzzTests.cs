// Seeded fuzzing of the readers a user's files go through (issue 16): safetensors, config.json, vocab.txt and the GLUE
// TSV reader. Each case mutates a valid file (bytes flipped, cut short, fields replaced by hostile values, lines from a
// hostile pool); whatever comes out, the reader either accepts it or throws its typed error with a message, never
// another exception, and within a time bound. The seeds are fixed, so a failure reproduces.
using System.Diagnostics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.Modeling;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Tests;

public sealed class ReaderFuzzTests : IDisposable
{
    private const int Cases = 300;

    // Generous for files of a few hundred bytes: a reader that loops or allocates by a forged size takes far longer.
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-fuzz-").FullName;
    private int _count;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Config Seeded(ulong seed) => Config.QuickThrowOnFailure.WithMaxTest(Cases).WithReplay(seed, 0x9E3779B97F4A7C15);

    private string Write(byte[] bytes, string name)
    {
        string path = Path.Combine(_dir, $"{Interlocked.Increment(ref _count)}-{name}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Runs `read` on the file: accepted, or one of `allowed` with a message; any other exception fails the case.
    private static void AcceptsOrRefuses(string path, Action<string> read, params Type[] allowed)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            read(path);
        }
        catch (Exception e) when (allowed.Any(type => type.IsInstanceOfType(e)))
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{e.GetType().Name} without a message");
        }
        Assert.True(clock.Elapsed < _bound, $"{path} took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    // A byte-level mutation: up to four bytes set to chosen values, then maybe cut at a point (as a share of the length).
    private static Gen<(int Position, byte Value)[]> Flips => Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, 255))
        .Select(p => (p.Item1, (byte)p.Item2)).ArrayOf().Select(a => a.Take(4).ToArray());

    private static byte[] Mutate(byte[] valid, (int Position, byte Value)[] flips, int cutPercent)
    {
        var bytes = (byte[])valid.Clone();
        foreach (var (position, value) in flips) bytes[position % bytes.Length] = value;
        return cutPercent >= 100 ? bytes : bytes[..(bytes.Length * cutPercent / 100)];
    }

    private static readonly string[] _hostileJsonValues =
    [
        "null", "0", "-1", "2147483647", "2147483648", "-2147483648", "1e308", "1.5", "\"768\"", "\"\"", "true", "[]", "{}",
        "[1, 2]", "{\"a\": null}", "\"gelu\"", "\"relu\"", "9007199254740993", "0.0", "-0", "\"\\u0000\"",
    ];

    // ---- safetensors ----

    private static byte[] ValidSafeTensors(string dir)
    {
        string path = Path.Combine(dir, "valid.safetensors");
        using (var scope = NewDisposeScope())
        {
            SafeTensorsWriter.Write(path, new Dictionary<string, Tensor>
            {
                ["a"] = arange(6, dtype: ScalarType.Float32).reshape(2, 3),
                ["b"] = ones(4, dtype: ScalarType.BFloat16),
                ["c"] = zeros(2, dtype: ScalarType.Int64),
            }, new Dictionary<string, string> { ["format"] = "pt" });
        }
        return File.ReadAllBytes(path);
    }

    private static void ReadSafeTensors(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        foreach (var entry in file.Entries) file.Read(entry).Dispose();
    }

    [Fact]
    public void SafeTensors_MutatedBytes_AreReadOrRefused()
    {
        var valid = ValidSafeTensors(_dir);
        var cases = Gen.Zip(Flips, Gen.Choose(0, 140)).ToArbitrary();
        Check.One(Seeded(1), Prop.ForAll(cases, c =>
            AcceptsOrRefuses(Write(Mutate(valid, c.Item1, Math.Min(100, c.Item2)), "model.safetensors"), ReadSafeTensors, typeof(CheckpointException))));
    }

    [Fact]
    public void SafeTensors_HeaderFieldsReplacedByHostileValues_AreReadOrRefused()
    {
        // One field of one entry (or the metadata) replaced: wrong types, huge sizes, negative offsets, repeats.
        string[] fields = ["\"dtype\":", "\"shape\":", "\"data_offsets\":", "\"format\":"];
        string[] values = [.. _hostileJsonValues, "\"F32\"", "\"I32\"", "\"F8\"", "[0, 24]", "[24, 0]", "[-1, 4]", "[9223372036854775807]", "[2, 3]", "[4294967296, 4294967296]"];
        var valid = ValidSafeTensors(_dir);
        int length = BitConverter.ToInt32(valid, 0);
        string header = Encoding.UTF8.GetString(valid, 8, length);
        byte[] data = valid[(8 + length)..];
        var cases = Gen.Zip(Gen.Zip(Gen.Elements(fields), Gen.Elements(values)), Gen.Choose(0, 2), (fv, n) => (Field: fv.Item1, Value: fv.Item2, Occurrence: n)).ToArbitrary();
        Check.One(Seeded(2), Prop.ForAll(cases, c =>
        {
            var (field, value, occurrence) = c;
            int at = -1;
            for (int i = 0; i <= occurrence; i++) at = header.IndexOf(field, at + 1, StringComparison.Ordinal) is >= 0 and var next ? next : at;
            if (at < 0) return;
            int start = at + field.Length, end = ValueEnd(header, start);
            // Either the value replaced, or a second copy of the field put in front of the first.
            string mutated = occurrence == 2
                ? header[..at] + field + value + "," + header[at..]
                : header[..start] + value + header[end..];
            var headerBytes = Encoding.UTF8.GetBytes(mutated);
            var bytes = BitConverter.GetBytes((long)headerBytes.Length).Concat(headerBytes).Concat(data).ToArray();
            AcceptsOrRefuses(Write(bytes, "model.safetensors"), ReadSafeTensors, typeof(CheckpointException));
        }));
    }

    // Where the JSON value starting at `start` ends: its closing bracket, or the next ',' or '}' outside brackets and strings.
    private static int ValueEnd(string json, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c == '[' || c == '{') depth++;
            else if ((c == ']' || c == '}') && depth > 0) depth--;
            else if ((c == ',' || c == '}') && depth == 0) return i;
        }
        return json.Length;
    }

    // ---- config.json ----

    private static readonly string _validConfig = new BertConfig
    {
        VocabSize = 30,
        HiddenSize = 8,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 16,
        MaxPositionEmbeddings = 24,
        NumLabels = 3,
    }.ToJson();

    [Fact]
    public void Config_FieldsReplacedByHostileValues_AreLoadedOrRefused()
    {
        string[] fields = ["vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
            "max_position_embeddings", "type_vocab_size", "layer_norm_eps", "pad_token_id", "num_labels", "model_type",
            "hidden_dropout_prob", "position_embedding_type", "initializer_range"];
        var pair = Gen.Zip(Gen.Elements(fields), Gen.Elements(_hostileJsonValues));
        var cases = Gen.Zip(pair, pair).ToArbitrary();
        Check.One(Seeded(3), Prop.ForAll(cases, c =>
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(_validConfig)!.AsObject();
            json[c.Item1.Item1] = System.Text.Json.Nodes.JsonNode.Parse(c.Item1.Item2);
            json[c.Item2.Item1] = System.Text.Json.Nodes.JsonNode.Parse(c.Item2.Item2);
            AcceptsOrRefuses(Write(Encoding.UTF8.GetBytes(json.ToJsonString()), "config.json"), path => BertConfig.Load(path), typeof(CheckpointException));
        }));
    }

    [Fact]
    public void Config_MutatedBytes_AreLoadedOrRefused()
    {
        var valid = Encoding.UTF8.GetBytes(_validConfig);
        var cases = Gen.Zip(Flips, Gen.Choose(0, 140)).ToArbitrary();
        Check.One(Seeded(4), Prop.ForAll(cases, c =>
            AcceptsOrRefuses(Write(Mutate(valid, c.Item1, Math.Min(100, c.Item2)), "config.json"), path => BertConfig.Load(path), typeof(CheckpointException))));
    }

    // ---- vocab.txt ----

    private static readonly string[] _vocabLines =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "##s", "cat", "", " ", "\t", "[PAD]", "##", "#", "\u00e9", "\u4e2d",
        "\ud83d\ude00", new string('x', 500), "[unused0]", "a b", "\r", "\uFEFF[PAD]",
    ];

    [Fact]
    public void Vocab_LinesFromAHostilePool_AreReadOrRefused()
    {
        var cases = Gen.Elements(_vocabLines).ArrayOf().ToArbitrary();
        Check.One(Seeded(5), Prop.ForAll(cases, lines =>
        {
            var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
            AcceptsOrRefuses(Write(bytes, "vocab.txt"), path => SieveTokenizer.Create(path).Encode("the cat", "é 中"), typeof(InvalidDataException));
        }));
    }

    [Fact]
    public void Vocab_InvalidUtf8_IsReadOrRefused()
    {
        var valid = Encoding.UTF8.GetBytes(string.Join('\n', _vocabLines.Take(8)));
        var cases = Gen.Zip(Flips, Gen.Choose(0, 140)).ToArbitrary();
        Check.One(Seeded(6), Prop.ForAll(cases, c =>
            AcceptsOrRefuses(Write(Mutate(valid, c.Item1, Math.Min(100, c.Item2)), "vocab.txt"), path => SieveTokenizer.Create(path).Encode("the cat"), typeof(InvalidDataException))));
    }

    // ---- GLUE TSV ----

    private static readonly string[] _cells = ["A b c.", "", "entailment", "not_entailment", "0", "1", "-1", "2", "maybe", "\"quoted\ttab\"", "\"", "\r", "x\ry", "é", "\uFEFF"];

    [Fact]
    public void Tsv_RowsFromAHostilePool_AreReadOrRefused()
    {
        var rte = TaskDefinition.Parse("rte");
        var layout = rte.Layout(DataSplit.Dev)!;
        var row = Gen.Elements(_cells).ArrayOf().Select(cells => string.Join('\t', cells.Take(6)));
        var cases = Gen.Zip(row.ArrayOf(), Gen.Elements(true, false)).ToArbitrary();
        Check.One(Seeded(7), Prop.ForAll(cases, c =>
        {
            var lines = (c.Item2 ? ["index\tsentence1\tsentence2\tlabel"] : Array.Empty<string>()).Concat(c.Item1.Take(20).Select((r, i) => $"{i}\t{r}"));
            var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
            AcceptsOrRefuses(Write(bytes, "dev.tsv"), path => TaskFileReader.Read(rte, layout, path), typeof(DataFormatException), typeof(InvalidDataException));
        }));
    }
}
