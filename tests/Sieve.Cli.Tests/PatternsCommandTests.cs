// Tests of `sieve patterns` run in-process through the real command tree, with stdout and stderr captured.
using System.Text.Json;
using SkiaSharp;

namespace Sieve.Cli.Tests;

public sealed class PatternsCommandTests
{
    // The command tree in-process, as Program.cs runs it, with stdout and stderr captured.
    private static (int Code, string Output, string Error) Run(params string[] args) => CliInvocation.Run(args);

    [Fact]
    public void Stats_Json_GivesTheClosedFormsOfLocal2PlusGlobal2()
    {
        var (code, output, error) = Run("patterns", "stats", "local(2)+global(2)", "--n", "40", "--n", "128", "--format", "json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, rows.GetArrayLength());
        // 9N − 20 entries (METHODS.md §1.2): 340 at N = 40 (ρ = 0.7875) and 1132 at N = 128.
        var first = rows[0];
        Assert.Equal("local(2)+global(2)", first.GetProperty("spec").GetString());
        Assert.Equal(40, first.GetProperty("n").GetInt32());
        Assert.Equal(340, first.GetProperty("nnz").GetDouble());
        Assert.Equal(0.7875, first.GetProperty("sparsity").GetDouble(), 12);
        Assert.Equal(5, first.GetProperty("minRowDegree").GetInt32());
        Assert.Equal(40, first.GetProperty("maxRowDegree").GetInt32());
        Assert.Equal(1132, rows[1].GetProperty("nnz").GetDouble());
        Assert.Equal(1 - 1132 / (128.0 * 128), rows[1].GetProperty("sparsity").GetDouble(), 12);
    }

    [Fact]
    public void Stats_OverLayersAndHeads_IsTheEq9MeanOfTheHeadLayouts()
    {
        var (code, output, error) = Run("patterns", "stats", "local(1)+random(2)", "--n", "30", "--layers", "2", "--heads", "3", "--seed", "5", "--format", "json");
        Assert.True(code == 0, error);
        var row = JsonDocument.Parse(output).RootElement[0];

        // Independent recount: every (layer, head) layout built on its own, Eq. 9 by hand.
        var pattern = Sieve.Patterns.PatternSpec.Parse("local(1)+random(2)");
        double sum = 0;
        long total = 0;
        for (int layer = 0; layer < 2; layer++)
        {
            for (int head = 0; head < 3; head++)
            {
                var layout = Sieve.Patterns.CsrLayout.Build(pattern, new Sieve.Patterns.PatternContext(30) { Seed = 5, Layer = layer, Head = head });
                sum += 1 - layout.Nnz / 900.0;
                total += layout.Nnz;
            }
        }
        Assert.Equal(sum / 6, row.GetProperty("sparsity").GetDouble(), 12);
        Assert.Equal(total, row.GetProperty("totalNnz").GetInt64());
        Assert.Equal(total / 6.0, row.GetProperty("nnz").GetDouble(), 9);
        Assert.Equal(6, row.GetProperty("layers").GetInt32() * row.GetProperty("heads").GetInt32());
    }

    [Fact]
    public void Stats_Table_ListsEveryLength()
    {
        var (code, output, _) = Run("patterns", "stats", "local(2)+global(1)", "--n", "40", "--n", "128");
        Assert.Equal(0, code);
        Assert.Contains("local(2)+global(1)", output, StringComparison.Ordinal);
        Assert.Contains("0.8325", output, StringComparison.Ordinal); // 1 − (7N − 12)/N² at N = 40
        Assert.Contains("0.9460", output, StringComparison.Ordinal); // at N = 128
    }

    [Fact]
    public void Show_PrintsTheGridThenNnzAndSparsity()
    {
        var (code, output, error) = Run("patterns", "show", "local(1)", "--n", "4");
        Assert.True(code == 0, error);
        string expected =
            "  0\n" +
            "0 ██··\n" +
            "  ███·\n" +
            "  ·███\n" +
            "  ··██\n";
        Assert.StartsWith(expected, output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("nnz=10", output, StringComparison.Ordinal);
        Assert.Contains("sparsity=0.375", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WritesAPngThatDecodesToTheExpectedSize()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sieve-render-{Guid.NewGuid():N}.png");
        try
        {
            var (code, _, error) = Run("patterns", "render", "local(2)+global(2)", "local(3)+global(1)", "--n", "32", "-o", path, "--block-size", "8");
            Assert.True(code == 0, error);
            using var bitmap = SKBitmap.Decode(path);
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width >= 2 * 32 && bitmap.Height >= 32, $"{bitmap.Width}×{bitmap.Height}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("show")]
    [InlineData("stats")]
    public void BadSpec_ExitsWith2AndPrintsTheColumn_WithoutAStackTrace(string verb)
    {
        var (code, output, error) = Run("patterns", verb, "local(2)+glob(1)");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("column 10", error, StringComparison.Ordinal);
        Assert.Contains("local(2)+glob(1)", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleWithoutAnEntryForALayer_ExitsWith2AndNamesTheLayer_WithoutAStackTrace()
    {
        var (code, _, error) = Run("patterns", "stats", "layers(0-5: full)", "--n", "16", "--layers", "12");
        Assert.Equal(2, code);
        Assert.Contains("no entry for layer 6", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_nested_thousands_deep_exits_2_with_a_short_message_instead_of_overflowing_the_stack()
    {
        string spec = new string('(', 8000) + "local(1)" + new string(')', 8000);
        var (code, _, error) = Run("patterns", "show", spec, "--n", "4");
        Assert.Equal(2, code);
        Assert.Contains("nests deeper than", error, StringComparison.Ordinal);
        Assert.True(error.Length < 400, error);
    }
}
