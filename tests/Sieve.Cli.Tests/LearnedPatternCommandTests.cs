// Seeing what was learned (issue 6): `sieve patterns show --model` draws the mask a saved model uses on a text (a
// learned diagonal with known logits, AAA per input, a fixed pattern, dense), and `sieve evaluate` reports per layer
// what the learnable pattern learned. Tiny models and a tiny vocabulary are built on the fly; nothing is downloaded.
using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sieve.Checkpoints;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Patterns;
using SkiaSharp;
using static TorchSharp.torch;

namespace Sieve.Cli.Tests;

public sealed partial class LearnedPatternCommandTests : IDisposable
{
    private static readonly string[] _words = ["the", "cat", "sat", "on", "mat", "a", "dog", "ran", "good", "bad", "film"];

    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-learned-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // "the cat sat on the mat" → [CLS] the cat sat on the mat [SEP]: N = 8.
    private const string Text = "the cat sat on the mat";
    private const int N = 8;

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SieveCommand.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }

    private string Vocab()
    {
        string path = Path.Combine(_dir, "vocab.txt");
        if (!File.Exists(path)) File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. _words]);
        return path;
    }

    private static BertConfig Config => new()
    {
        VocabSize = 5 + _words.Length,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 64,
        NumLabels = 2,
        HiddenDropoutProb = 0,
        AttentionProbsDropoutProb = 0,
    };

    // A classifier whose learnable pattern `spec` has its parameters set by `set`, saved with (or without) the vocabulary.
    private string Save(string name, Action<BertForSequenceClassification> set, bool withVocab = true)
    {
        manual_seed(7);
        using var model = new BertForSequenceClassification(Config);
        using (no_grad()) set(model);
        string directory = Path.Combine(_dir, name);
        BertCheckpoint.Save(model, model.Config, directory, withVocab ? Vocab() : null);
        return directory;
    }

    // learned_diagonal(max_offset=3, level=task+layer): layer 1 head 0 keeps offsets {0, 2}, every other head none.
    private string LearnedDiagonal() => Save("diagonal", model =>
    {
        var learned = (LearnedDiagonalPattern)model.Bert.UseLearnablePattern(LearnableSpec.Parse("learned_diagonal(max_offset=3, level=task+layer)"));
        learned.Logits.fill_(-5.0);
        learned.Logits[1, 0, 0] = tensor(5.0f);
        learned.Logits[1, 0, 2] = tensor(5.0f);
    });

    // aaa(local=1) with random scorers and zero biases: about half of the tokens become rows or columns.
    private string Aaa() => Save("aaa", model =>
    {
        var learned = (AxisAttentionPattern)model.Bert.UseLearnablePattern(LearnableSpec.Parse("aaa(local=1)"));
        var generator = new Generator(3);
        for (int l = 0; l < learned.Layers; l++)
        {
            learned.Scorer(l).weight!.copy_(randn([2, 16], generator: generator));
            learned.Scorer(l).bias!.fill_(0.0);
        }
    });

    // The cells of the printed grid: the last N characters of the N lines after the column ruler.
    private static string[] Grid(string output) => [.. output.Split('\n').Skip(1).Take(N).Select(line => line[^N..])];

    private static int[] Positions(string output, string label)
    {
        var lines = output.Split('\n').SkipWhile(line => line != label + ":").Skip(1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal));
        return [.. lines.SelectMany(line => Entry().Matches(line)).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"(?:^|\s)(\d+) \S+")]
    private static partial Regex Entry();

    [Fact]
    public void Show_OfALearnedDiagonal_DrawsTheKeptOffsetsOfThatLayerAndHead()
    {
        string model = LearnedDiagonal();
        var (code, output, error) = Run("patterns", "show", "--model", model, "--text", Text, "--layer", "1", "--head", "0");
        Assert.True(code == 0, error);
        // diagonal(0, 2) on N = 8: N + 2(N − 2) entries.
        Assert.Contains($"nnz={N + (2 * (N - 2))} ", output, StringComparison.Ordinal);
        Assert.Contains("diagonal(0,2)", output, StringComparison.Ordinal);
        var grid = Grid(output);
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                Assert.Equal(i == j || Math.Abs(i - j) == 2 ? '█' : '·', grid[i][j]);
        Assert.Contains("tokens:", output, StringComparison.Ordinal);
        Assert.Contains("0 [CLS]", output, StringComparison.Ordinal);
        Assert.Contains("2 cat", output, StringComparison.Ordinal);

        // Head 1 keeps no offset: every row is left with its diagonal (the empty-row policy), N entries.
        (code, output, error) = Run("patterns", "show", "--model", model, "--text", Text, "--layer", "1", "--head", "1");
        Assert.True(code == 0, error);
        Assert.Contains($"nnz={N} ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_OfALearnedDiagonal_RunsItsHardenedPattern_AndRefusesAnotherPattern()
    {
        string model = LearnedDiagonal();
        var (code, output, error) = Run("encode", "--model", model, "--text", Text, "--format", "json");
        Assert.True(code == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.StartsWith("learned_diagonal(max_offset=3,level=task+layer", json.RootElement.GetProperty("pattern").GetString(), StringComparison.Ordinal);
        // Layer 0 keeps no offset in any head: only the diagonal, ρ = 1 − 1/N.
        Assert.Equal(1 - (1.0 / N), json.RootElement.GetProperty("layers")[0].GetProperty("sparsity").GetDouble(), 12);

        (code, _, error) = Run("encode", "--model", model, "--text", Text, "--pattern", "local(1)");
        Assert.Equal(2, code);
        Assert.Contains("learns its pattern", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_OfAnAaaModel_ListsTheSelectedRowsAndColumns_AndDrawsExactlyThem()
    {
        string model = Aaa();
        var (code, output, error) = Run("patterns", "show", "--model", model, "--text", Text, "--text-pair", "a dog ran", "--layer", "0");
        Assert.True(code == 0, error);
        int n = N + 4;   // + a dog ran [SEP]
        int[] rows = Positions(output, "layer 0 selected rows"), columns = Positions(output, "layer 0 selected columns");
        Assert.True(rows.Length + columns.Length is > 0 and < 2 * 12, $"the random scorers should select some tokens, not all:\n{output}");
        var grid = output.Split('\n').Skip(1).Take(n).Select(line => line[^n..]).ToArray();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(rows.Contains(i) || columns.Contains(j) || Math.Abs(i - j) <= 1 ? '█' : '·', grid[i][j]);
    }

    [Fact]
    public void Show_OfAFixedPatternModel_AndOfADenseOne()
    {
        string fixedModel = Save("fixed", model => model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(1)") });
        var (code, output, error) = Run("patterns", "show", "--model", fixedModel, "--text", Text, "--layer", "0");
        Assert.True(code == 0, error);
        Assert.Contains($"local(1) · layer 0 head 0  N={N}  nnz={(3 * N) - 2} ", output, StringComparison.Ordinal);   // Local_1 keeps 3N − 2

        string dense = Save("dense", _ => { });
        (code, output, error) = Run("patterns", "show", "--model", dense, "--text", Text, "--layer", "1");
        Assert.True(code == 0, error);
        Assert.Contains($"nnz={N * N} ", output, StringComparison.Ordinal);
        Assert.Contains("attends densely", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_OfALongSpec_ShortensTheTitle_AndPrintsTheSpecInFull_ToReuse()
    {
        const string Spec = "axis(rows=[1,2,3,4,5,6,7,8,9,10],cols=[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15])+local(1)";
        string model = Save("long", model => model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse(Spec) });
        var (code, output, error) = Run("patterns", "show", "--model", model, "--text", Text, "--layer", "0");
        Assert.True(code == 0, error);
        Assert.Contains("... · layer 0 head 0", output, StringComparison.Ordinal);
        var full = output.Split('\n').Single(line => line.StartsWith("pattern in full", StringComparison.Ordinal));
        Assert.Equal(PatternSpec.Parse(Spec).ToString(), full[(full.IndexOf("): ", StringComparison.Ordinal) + 3)..]);
    }

    [Fact]
    public void Show_WithPng_WritesAPictureOfTheMask()
    {
        string model = LearnedDiagonal(), png = Path.Combine(_dir, "mask.png");
        var (code, output, error) = Run("patterns", "show", "--model", model, "--text", Text, "--layer", "1", "--png", png);
        Assert.True(code == 0, error);
        Assert.Contains($"wrote {png}", output, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= N && bitmap.Height >= N, $"{bitmap.Width}×{bitmap.Height}");
    }

    [Fact]
    public void Show_RejectsBadRequests_WithExit2AndWhatToDo()
    {
        string model = LearnedDiagonal();
        string noVocab = Save("novocab", m => m.Bert.UseLearnablePattern(LearnableSpec.Parse("aaa(local=1)")), withVocab: false);
        (string[] Args, string Message)[] cases =
        [
            (["patterns", "show", "local(1)", "--model", model, "--text", Text, "--layer", "0"], "either a pattern SPEC or --model"),
            (["patterns", "show", "--model", model, "--text", Text, "--layer", "2"], "0..1"),
            (["patterns", "show", "--model", model, "--text", Text, "--layer", "0", "--head", "5"], "0..1"),
            (["patterns", "show", "--model", model, "--text", Text], "--layer"),
            (["patterns", "show", "--model", model, "--layer", "0"], "--text"),
            (["patterns", "show", "--model", model, "--text", Text, "--layer", "0", "--n", "9"], "--n"),
            (["patterns", "show", "--model", noVocab, "--text", Text, "--layer", "0"], "vocab.txt"),
            (["patterns", "show"], "SPEC"),
        ];
        foreach (var (args, message) in cases)
        {
            var (code, output, error) = Run(args);
            Assert.True(code == 2, $"{string.Join(' ', args)} gave {code}: {output}{error}");
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
        }
    }

    // An SST-2-shaped dev file over the tiny vocabulary.
    private string DevData()
    {
        string folder = Path.Combine(_dir, "sst2");
        Directory.CreateDirectory(folder);
        string[] rows = ["sentence\tlabel", "the cat sat on the mat\t1", "a dog ran\t0", "good film\t1", "bad film\t0", "the dog sat on a mat\t1", "a bad cat ran on the film\t0", "good\t1"];
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), rows);
        return folder;
    }

    private JsonElement Evaluate(string model)
    {
        var (code, output, error) = Run("evaluate", "--model", model, "--task", "sst2", "--data", DevData(), "--batch-size", "3", "--format", "json");
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Fact]
    public void Evaluate_OfAnAaaModel_ReportsEachLayersShareOfRowsAndColumns()
    {
        var report = Evaluate(Aaa());
        Assert.Equal("aaa(local=1)", report.GetProperty("pattern").GetString());
        var learned = report.GetProperty("learned");
        Assert.Equal("aaa(local=1)", learned.GetProperty("spec").GetString());
        var layers = learned.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        int tokens = 8 + 5 + 4 + 4 + 8 + 9 + 3;   // [CLS] … [SEP] of every dev sentence
        double total = 0;
        foreach (var layer in layers.EnumerateArray())
        {
            Assert.Equal(tokens, layer.GetProperty("tokens").GetInt64());
            double rows = layer.GetProperty("rowShare").GetDouble(), columns = layer.GetProperty("columnShare").GetDouble();
            Assert.InRange(rows, 0, 1);
            Assert.InRange(columns, 0, 1);
            // A share of whole tokens: share × tokens is a count.
            Assert.Equal(Math.Round(rows * tokens), rows * tokens, 6);
            total += rows + columns;
        }
        Assert.True(total > 0, "the random scorers should select some tokens");

        var (code, output, error) = Run("evaluate", "--model", Aaa(), "--task", "sst2", "--data", DevData());
        Assert.True(code == 0, error);
        Assert.Contains("learned aaa(local=1):", output, StringComparison.Ordinal);
        Assert.Contains("layer  1: rows ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OfALearnedDiagonal_ReportsTheKeptOffsets_AndAFixedModelNone()
    {
        var learned = Evaluate(LearnedDiagonal()).GetProperty("learned");
        var layers = learned.GetProperty("layers");
        Assert.Equal(2, layers.GetArrayLength());
        int[] Offsets(int layer, int head) => [.. layers[layer].GetProperty("offsets")[head].GetProperty("offsets").EnumerateArray().Select(o => o.GetInt32())];
        Assert.Equal([0, 2], Offsets(1, 0));
        Assert.Empty(Offsets(1, 1));
        Assert.Empty(Offsets(0, 0));

        string fixedModel = Save("fixed-eval", model => model.Bert.Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(1)") });
        var report = Evaluate(fixedModel);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("learned").ValueKind);

        var (code, _, error) = Run("evaluate", "--model", LearnedDiagonal(), "--task", "sst2", "--data", DevData(), "--pattern", "local(2)");
        Assert.Equal(2, code);
        Assert.Contains("learns its pattern", error, StringComparison.Ordinal);
    }
}
