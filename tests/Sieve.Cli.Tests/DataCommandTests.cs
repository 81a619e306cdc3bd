// Tests of `sieve data` run in-process through the real command tree: inspect's JSON (per split: examples, labels,
// lengths, skipped rows), its errors (exit 2, file and line), and ListOps generation read back by inspect.
using System.Text.Json;
using Sieve.TestSupport;

namespace Sieve.Cli.Tests;

public sealed class DataCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sieve-cli-data-" + Guid.NewGuid().ToString("N"));

    public DataCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliInvocation.Run(args);

    private void WriteRteWithABadRow() => File.WriteAllText(Path.Combine(_folder, "dev.tsv"),
        "index\tsentence1\tsentence2\tlabel\n0\tA b c.\tD e.\tentailment\n1\tF g.\tH.\tmaybe\n2\tI j k l m.\tM.\tnot_entailment\n3\tN.\tO.\tentailment\n");

    [Fact]
    public void Inspect_MalformedRow_ExitsWith2_NamingFileAndLine()
    {
        WriteRteWithABadRow();
        var (code, _, error) = Run("data", "inspect", "--task", "rte", "--data", _folder);
        Assert.Equal(2, code);
        Assert.Contains($"{Path.Combine(_folder, "dev.tsv")}:3: the label 'maybe' is not one of entailment, not_entailment", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SkipMalformed_Json_CountsExamplesLabelsWordsAndSkips()
    {
        WriteRteWithABadRow();
        var (code, output, error) = Run("data", "inspect", "--task", "rte", "--data", _folder, "--skip-malformed", "--format", "json");
        Assert.True(code == 0, error);
        var split = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal("dev", split.GetProperty("split").GetString());
        Assert.Equal(3, split.GetProperty("examples").GetInt32());
        Assert.Equal(2, split.GetProperty("labels").GetProperty("entailment").GetInt32());
        Assert.Equal(1, split.GetProperty("labels").GetProperty("not_entailment").GetInt32());
        // Words of sentence1 + sentence2: 5, 6, 2 → min 2, median 5, max 6.
        var lengths = split.GetProperty("lengths");
        Assert.Equal("words", lengths.GetProperty("unit").GetString());
        Assert.Equal(2, lengths.GetProperty("min").GetInt32());
        Assert.Equal(5, lengths.GetProperty("p50").GetInt32());
        Assert.Equal(6, lengths.GetProperty("max").GetInt32());
        Assert.Equal(1, split.GetProperty("skippedCount").GetInt32());
        Assert.Equal(3, split.GetProperty("skipped")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public void Inspect_UnknownTask_ListsTheTasks()
    {
        var (code, _, error) = Run("data", "inspect", "--task", "imdb", "--data", _folder);
        Assert.Equal(2, code);
        Assert.Contains("unknown task 'imdb'; use one of cola, sst2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ListOps_GeneratesLraFiles_ThatInspectReads()
    {
        var (code, output, error) = Run("data", "listops", "-o", _folder, "--train", "30", "--val", "5", "--test", "5",
            "--min-length", "50", "--max-length", "300", "--max-depth", "8", "--max-args", "6", "--seed", "3");
        Assert.True(code == 0, error);
        Assert.Contains("basic_train.tsv", output, StringComparison.Ordinal);
        (code, output, error) = Run("data", "inspect", "--task", "listops", "--data", _folder, "--format", "json");
        Assert.True(code == 0, error);
        var splits = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["train", "dev", "test"], splits.Select(s => s.GetProperty("split").GetString()));
        Assert.Equal([30, 5, 5], splits.Select(s => s.GetProperty("examples").GetInt32()));
        Assert.Equal(30, splits[0].GetProperty("labels").EnumerateObject().Sum(p => p.Value.GetInt32()));
        // Tokens with [CLS]: 50 < expression length < 300, so 52..300.
        var lengths = splits[0].GetProperty("lengths");
        Assert.Equal("tokens", lengths.GetProperty("unit").GetString());
        Assert.InRange(lengths.GetProperty("min").GetInt32(), 52, 300);
        Assert.InRange(lengths.GetProperty("max").GetInt32(), 52, 300);
    }

    [SharedDataFact]
    public void Inspect_RealRte_WithVocab_CountsWordpieces()
    {
        var (code, output, error) = Run("data", "inspect", "--task", "rte", "--data", SharedData.PathOf("glue/RTE"),
            "--vocab", SharedData.PathOf("vocab/bert-base-uncased/vocab.txt"), "--format", "json");
        Assert.True(code == 0, error);
        var splits = JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray();
        // wc -l: 2491 and 278 lines with the header; awk over the last column: 1249/1241 and 146/131.
        Assert.Equal([2490, 277], splits.Select(s => s.GetProperty("examples").GetInt32()));
        Assert.Equal(146, splits[1].GetProperty("labels").GetProperty("entailment").GetInt32());
        Assert.Equal(131, splits[1].GetProperty("labels").GetProperty("not_entailment").GetInt32());
        var lengths = splits[1].GetProperty("lengths");
        Assert.Equal("wordpieces", lengths.GetProperty("unit").GetString());
        // Wordpieces of a pair are at least its words plus [CLS], [SEP], [SEP].
        Assert.True(lengths.GetProperty("p50").GetInt32() > 40);
    }
}
