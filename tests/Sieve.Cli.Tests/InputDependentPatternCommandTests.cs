// Breaking BERT's input-dependent masks as a user runs them (issue 13): lexical(m) from the model's own embeddings and
// syntax(k) from CoNLL-U parses, fine-tuned, evaluated on the saved model with the same numbers, and in a grid; a
// missing parse is a clear error with exit code 2, or with --unparsed-rows no-arcs a counted fallback.
using System.Text.Json;

namespace Sieve.Cli.Tests;

public sealed class InputDependentPatternCommandTests : IDisposable
{
    private readonly ParsedTask _task = new();

    public void Dispose() => _task.Dispose();

    [Fact]
    public void Lexical_FineTunes_AndEvaluatesTheSavedModelToTheSameNumbers()
    {
        var (code, stdout, stderr) = HelpTests.RunSieve(_task.FineTune("lexical", "lexical(2)"));
        Assert.True(code == 0, stderr);
        var (accuracy, sparsity, model) = Summary(stdout, "lexical(2)");
        Assert.InRange(sparsity, 0.05, 0.95);

        (code, stdout, stderr) = HelpTests.RunSieve("evaluate", "--model", model, "--task", "sst2", "--data", _task.Data, "--max-length", "16", "--format", "json");
        Assert.True(code == 0, stderr);
        using var evaluated = JsonDocument.Parse(stdout);
        Assert.Equal("lexical(2)", evaluated.RootElement.GetProperty("pattern").GetString());
        Assert.Equal(accuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(sparsity, evaluated.RootElement.GetProperty("sparsity").GetDouble(), 12);
    }

    [Fact]
    public void Syntax_FineTunesWithEachSplitsParses_AndEvaluatesWithThem()
    {
        var (code, stdout, stderr) = HelpTests.RunSieve(_task.FineTune("syntax", "syntax(1,cls=all)",
            "--train-parses", _task.Parses("train"), "--dev-parses", _task.Parses("dev")));
        Assert.True(code == 0, stderr);
        var (accuracy, sparsity, model) = Summary(stdout, "syntax(1,cls=all)");
        Assert.InRange(sparsity, 0.05, 0.95);
        Assert.Contains("\"train_parses\"", File.ReadAllText(Path.Combine(_task.Folder, "syntax", "run_settings.json")), StringComparison.Ordinal);

        string[] evaluate = ["evaluate", "--model", model, "--task", "sst2", "--data", _task.Data, "--max-length", "16", "--format", "json"];
        (code, stdout, stderr) = HelpTests.RunSieve([.. evaluate, "--parses", _task.Parses("dev")]);
        Assert.True(code == 0, stderr);
        using var evaluated = JsonDocument.Parse(stdout);
        Assert.Equal(accuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(sparsity, evaluated.RootElement.GetProperty("sparsity").GetDouble(), 12);

        (code, _, stderr) = HelpTests.RunSieve(evaluate);
        Assert.Equal(2, code);
        Assert.Contains("syntax(1,cls=all) reads the dependency parse of every example, and the dev split", stderr, StringComparison.Ordinal);
        Assert.Contains("give --parses FILE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_WithAParseMissing_ExitsWith2NamingTheFileAndRow_OrFallsBackWhenAsked()
    {
        var shortParses = Path.Combine(_task.Folder, "train-short.conllu");
        var blocks = File.ReadAllText(_task.Parses("train")).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(shortParses, string.Join("\n\n", blocks[..^1]) + "\n\n");

        var (code, _, stderr) = HelpTests.RunSieve(_task.FineTune("short", "syntax(1)", "--train-parses", shortParses, "--dev-parses", _task.Parses("dev")));
        Assert.Equal(2, code);
        Assert.Contains($"{shortParses} has 11 sentence(s), but row 12 of {Path.Combine(_task.Data, "train.tsv")} (line 13) needs sentence 12", stderr, StringComparison.Ordinal);

        (code, _, stderr) = HelpTests.RunSieve(_task.FineTune("lenient", "syntax(1)", "--train-parses", shortParses, "--dev-parses", _task.Parses("dev"),
            "--unparsed-rows", "no-arcs"));
        Assert.True(code == 0, stderr);
        Assert.Contains("1 row(s) without a matching parse got no arcs", stderr, StringComparison.Ordinal);

        (code, _, stderr) = HelpTests.RunSieve(_task.FineTune("none", "syntax(1)"));
        Assert.Equal(2, code);
        Assert.Contains("syntax(1) reads the dependency parse of every example, and the train split", stderr, StringComparison.Ordinal);
        Assert.Contains("give --train-parses FILE", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AGrid_RunsLexicalAndSyntaxRows_WithEachTasksParses()
    {
        var spec = Path.Combine(_task.Folder, "grid.yaml");
        File.WriteAllText(spec, $"""
            name: masks
            output: out
            config: {_task.Config}
            vocab: {_task.Vocab}
            tasks:
              - name: sst2
                data: {_task.Data}
                parses: {"{"}train: {_task.Parses("train")}, dev: {_task.Parses("dev")}{"}"}
            patterns:
              - lexical(2)
              - syntax(1)
            seeds: [3]
            budget: {"{"}max_steps: 2, batch_size: 4, max_length: 16{"}"}
            """);
        var (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec);
        Assert.True(code == 0, stderr + stdout);
        var results = File.ReadAllLines(Path.Combine(_task.Folder, "out", "results.jsonl"));
        Assert.Equal(2, results.Length);
        Assert.All(results, line => Assert.Contains("\"completed\"", line, StringComparison.OrdinalIgnoreCase));

        var lines = File.ReadAllLines(spec);
        File.WriteAllLines(spec, [.. lines, "pretrain: [yes]", "pretraining: {corpus: corpus.txt}"]);
        (code, _, stderr) = HelpTests.RunSieve("experiment", "run", spec, "--list");
        Assert.Equal(2, code);
        Assert.Contains("reads a dependency parse the corpus does not have", stderr, StringComparison.Ordinal);

        File.WriteAllLines(spec, lines.Where(line => !line.TrimStart().StartsWith("parses:", StringComparison.Ordinal)));
        (code, _, stderr) = HelpTests.RunSieve("experiment", "run", spec, "--list");
        Assert.Equal(2, code);
        Assert.Contains("the row 'syntax(1)' (syntax(1)) reads the dependency parse of every example, and the task sst2 gives none", stderr, StringComparison.Ordinal);
    }

    private static (double Accuracy, double Sparsity, string Model) Summary(string stdout, string pattern)
    {
        using var trained = JsonDocument.Parse(stdout);
        var root = trained.RootElement;
        Assert.Equal("Completed", root.GetProperty("outcome").GetString());
        Assert.Equal(pattern, root.GetProperty("pattern").GetString());
        return (root.GetProperty("metrics").GetProperty("accuracy").GetDouble(), root.GetProperty("sparsity").GetDouble(),
            root.GetProperty("modelDirectory").GetString()!);
    }
}
