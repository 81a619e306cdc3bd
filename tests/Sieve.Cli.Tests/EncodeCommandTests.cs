// `sieve encode` on the tiny-bert fixture, run as its own process: the JSON a script reads, the layout sparsity a
// pattern gives on this input (against the closed form), and clear errors.
using System.Text.Json;
using Sieve.TestSupport;

namespace Sieve.Cli.Tests;

public sealed class EncodeCommandTests
{
    private static string Tiny => Fixtures.PathOf("tiny-bert");

    [Fact]
    public void Json_HoldsIdsPooledOutputLogitsAndPerLayerSparsity()
    {
        var (code, output, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--text", "the cat sat on the mat", "--text-pair", "a dog ran", "--format", "json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        int n = root.GetProperty("inputIds").GetArrayLength();
        Assert.True(n >= 5, output);
        Assert.Equal(n, root.GetProperty("tokenTypeIds").GetArrayLength());
        Assert.Equal(1, root.GetProperty("tokenTypeIds")[n - 1].GetInt32());   // the pair's [SEP]
        Assert.True(root.GetProperty("poolerOutput").GetArrayLength() > 0);
        Assert.Equal(3, root.GetProperty("logits").GetArrayLength());          // the fixture's three labels
        Assert.Equal("full", root.GetProperty("pattern").GetString());
        Assert.Equal(0.0, root.GetProperty("sparsity").GetDouble(), 12);
        Assert.All(root.GetProperty("layers").EnumerateArray(), layer => Assert.Equal(0.0, layer.GetProperty("sparsity").GetDouble(), 12));
    }

    [Fact]
    public void APattern_GivesItsClosedFormSparsityOnThisInput_OnEveryKernel()
    {
        double? logit = null;
        foreach (var kernel in new[] { "reference", "csr", "blocksparse" })
        {
            var (code, output, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--text", "the cat sat on the mat", "--pattern", "local(1)", "--kernel", kernel, "--format", "json");
            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            int n = root.GetProperty("inputIds").GetArrayLength();
            double expected = 1 - (3.0 * n - 2) / ((double)n * n);   // Local_1 keeps 3N − 2
            Assert.Equal(expected, root.GetProperty("sparsity").GetDouble(), 12);
            Assert.Equal("local(1)", root.GetProperty("layers")[0].GetProperty("pattern").GetString());
            double first = root.GetProperty("logits")[0].GetDouble();
            logit ??= first;
            Assert.Equal(logit.Value, first, 5);   // the kernel never changes the result
        }
    }

    [Fact]
    public void Summary_IsReadable()
    {
        var (code, output, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--text", "hello world", "--pattern", "local(1)+global(1)");
        Assert.True(code == 0, error);
        Assert.Contains("pattern: local(1)+global(1)", output, StringComparison.Ordinal);
        Assert.Contains("layer  0: sparsity", output, StringComparison.Ordinal);
        Assert.Contains("predicted:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadPatternOrMissingModel_ExitWith2AndAMessage()
    {
        var (code, _, error) = HelpTests.RunSieve("encode", "--model", Tiny, "--text", "hi", "--pattern", "locl(1)");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'local'", error, StringComparison.Ordinal);

        (code, _, error) = HelpTests.RunSieve("encode", "--model", "/no/such/model", "--text", "hi");
        Assert.Equal(2, code);
        Assert.Contains("/no/such/model", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
    }
}
