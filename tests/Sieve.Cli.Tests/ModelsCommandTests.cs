// Tests of `sieve models` and `sieve import onnx` through the real command tree: the list of built-in models, and
// the one-line errors (exit 2) for a bad ONNX file, an unknown model name and a folder that is neither.
using System.Text.Json;

namespace Sieve.Cli.Tests;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sieve-cli-models-" + Guid.NewGuid().ToString("N"));

    public ModelsCommandTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output, string Error) Run(params string[] args) => CliInvocation.Run(args);

    [Fact]
    public void List_Json_NamesBothBuiltInModels_WithLicenceAndPooling()
    {
        var (code, output, error) = Run("models", "list", "--format", "json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["minilm", "arctic-xs"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", rows[0].GetProperty("upstream").GetString());
        Assert.Equal(["mean", "cls"], rows.Select(r => r.GetProperty("pooling").GetString()));
        Assert.All(rows, r => Assert.Equal("Apache-2.0", r.GetProperty("licence").GetString()));
    }

    [Fact]
    public void Export_UnknownName_ExitsWith2_ListingTheNames()
    {
        var (code, _, error) = Run("models", "export", "bert-large", "-o", Path.Combine(_folder, "x"));
        Assert.Equal(2, code);
        Assert.Contains("minilm, arctic-xs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportOnnx_NotAnOnnxFile_ExitsWith2_InOneLine()
    {
        var model = Path.Combine(_folder, "model.onnx");
        File.WriteAllText(model, "this is not a protobuf message at all, just text that does not parse as one");
        var vocab = Path.Combine(_folder, "vocab.txt");
        File.WriteAllLines(vocab, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a"]);
        var (code, _, error) = Run("import", "onnx", model, "--vocab", vocab, "-o", Path.Combine(_folder, "out"));
        Assert.Equal(2, code);
        // Progress lines are indented; the error is the one line that is not.
        var message = Assert.Single(error.TrimEnd().Split('\n'), line => !line.StartsWith("  ", StringComparison.Ordinal));
        Assert.StartsWith("sieve import: ", message, StringComparison.Ordinal);
        Assert.Contains("is not an ONNX model", message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "out")));
    }

    [Fact]
    public void AModelThatIsNeitherAFolderNorABuiltInName_ExitsWith2_NamingTheBuiltIns()
    {
        var (code, _, error) = Run("encode", "--model", Path.Combine(_folder, "nowhere"), "--text", "hi");
        Assert.Equal(2, code);
        Assert.Contains("not a built-in model (minilm, arctic-xs", error, StringComparison.Ordinal);
    }
}
