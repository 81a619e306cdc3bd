// `sieve experiment` as a scheduler and a user run it, as processes: --list, one cell with --cell, the rest of the
// grid skipping the finished cell, the report with its PNG, and clear errors with exit code 2.
using Sieve.Experiments;
using Sieve.TestSupport;

namespace Sieve.Cli.Tests;

public sealed class ExperimentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-experiment-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteSpec(string pretrain = "[no]")
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"model_type":"bert","vocab_size":30522,"hidden_size":32,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":64,"max_position_embeddings":64}""");
        var spec = Path.Combine(_dir, "grid.yaml");
        File.WriteAllText(spec, $"""
            name: tiny-grid
            output: out
            config: config.json
            vocab: {Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt")}
            tasks:
              - name: rte
                data: {Fixtures.PathOf("glue/RTE")}
                max_train_examples: 64
                max_eval_examples: 32
            patterns:
              - full
              - label: Local 2
                spec: local(2)
            seeds: [7]
            pretrain: {pretrain}
            budget: {"{"}max_steps: 2, batch_size: 8, max_length: 32{"}"}
            reference: full
            """);
        return spec;
    }

    [Fact]
    public void Grid_RunsCellByCell_SkipsFinishedCells_AndReports()
    {
        var spec = WriteSpec();
        var (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec, "--list");
        Assert.True(code == 0, stderr);
        Assert.Equal(["0\trte/full/all/seed-7/pretrain-no\tpending\tfull", "1\trte/Local 2/all/seed-7/pretrain-no\tpending\tlocal(2)"],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec, "--cell", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("cell 1 of 2: rte/Local 2/all/seed-7/pretrain-no", stdout, StringComparison.Ordinal);
        var results = Path.Combine(_dir, "out", "results.jsonl");
        Assert.Single(File.ReadAllLines(results));
        Assert.True(File.Exists(Path.Combine(_dir, "out", "cell-1", "model", "config.json")));

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec, "--dry-run");
        Assert.True(code == 0, stderr);
        Assert.Contains("run  cell 0 of 2", stdout, StringComparison.Ordinal);
        Assert.Contains("skip cell 1 of 2", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec);
        Assert.True(code == 0, stderr);
        Assert.Contains("cell 1 of 2: rte/Local 2/all/seed-7/pretrain-no\n  already finished, skipped", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var lines = File.ReadAllLines(results);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"id\":\"rte/Local 2/all/seed-7/pretrain-no\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"id\":\"rte/full/all/seed-7/pretrain-no\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"Completed\"", lines[1], StringComparison.Ordinal);

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "report", spec);
        Assert.True(code == 0, stderr);
        Assert.Contains("| Pattern | rte ρ | rte Pf. | Avg. ρ | Avg. Pf. |", stdout, StringComparison.Ordinal);
        Assert.Contains("| full | 0.0 | ", stdout, StringComparison.Ordinal);
        Assert.Contains("| Local 2 | ", stdout, StringComparison.Ordinal);
        Assert.Equal(stdout, File.ReadAllText(Path.Combine(_dir, "out", "report.md")));
        using var bitmap = SkiaSharp.SKBitmap.Decode(Path.Combine(_dir, "out", "report.png"));
        Assert.NotNull(bitmap);
    }

    [Fact]
    public void AGridThatReusesAnother_CopiesTheCellItFinished_WithoutTrainingIt()
    {
        var spec = WriteSpec();
        var (code, _, stderr) = HelpTests.RunSieve("experiment", "run", spec, "--cell", "1");
        Assert.True(code == 0, stderr);
        // The same recipe, another grid: its Window row trains what grid.yaml's Local 2 row trained.
        var ablation = Path.Combine(_dir, "ablation.yaml");
        File.WriteAllText(ablation, File.ReadAllText(spec)
            .Replace("name: tiny-grid", "name: ablation", StringComparison.Ordinal)
            .Replace("output: out", "output: ablation-out", StringComparison.Ordinal)
            .Replace("  - full\n  - label: Local 2", "  - label: Window", StringComparison.Ordinal)
            .Replace("reference: full", "reuse: [grid.yaml]", StringComparison.Ordinal));

        string stdout;
        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", ablation, "--list");
        Assert.True(code == 0, stderr);
        Assert.Equal("0\trte/Window/all/seed-7/pretrain-no\tpending, finished in grid.yaml cell 1 (rte/Local 2/all/seed-7/pretrain-no)\tlocal(2)", stdout.Trim());

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", ablation, "--cell", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("the same training is finished in grid.yaml cell 1 (rte/Local 2/all/seed-7/pretrain-no); its result copied", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "ablation-out", "cell-0")));
        var copied = ResultsFileLine(Path.Combine(_dir, "ablation-out", "results.jsonl"));
        var original = ResultsFileLine(Path.Combine(_dir, "out", "results.jsonl"));
        Assert.Equal(("rte/Window/all/seed-7/pretrain-no", original.PaperValue, original.Sparsity, original.FinishedAt),
            (copied.Id, copied.PaperValue, copied.Sparsity, copied.FinishedAt));
    }

    private static CellResult ResultsFileLine(string path) => Assert.Single(new ResultsFile(path).ReadAll());

    [Fact]
    public void BadCell_AndPretrainingWithoutItsSection_ExitWith2()
    {
        var (code, _, error) = HelpTests.RunSieve("experiment", "run", WriteSpec(), "--cell", "5");
        Assert.Equal(2, code);
        Assert.Contains("0 to 1", error, StringComparison.Ordinal);

        // pretrain: yes without a pretraining: section is caught when the spec is read, before anything trains.
        (code, _, error) = HelpTests.RunSieve("experiment", "run", WriteSpec("[no, yes]"));
        Assert.Equal(2, code);
        Assert.Contains("grid.yaml:15: 'pretrain: yes' cells pre-train before fine-tuning, but the spec has no 'pretraining:' section", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out", "results.jsonl")));

        File.WriteAllText(Path.Combine(_dir, "bad.yaml"), "tasks: [{name: rte, data: d}]\npatterns: [local(]\nconfig: c\n");
        (code, _, error) = HelpTests.RunSieve("experiment", "report", Path.Combine(_dir, "bad.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:2:", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PretrainNoAndYes_PretrainsThenFineTunes_AndTheReportShowsThePretrainColumn()
    {
        // A tiny model (hidden 16, 1 layer) from scratch, a generated corpus, 2 pre-training and 2 fine-tuning steps.
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"model_type":"bert","vocab_size":30522,"hidden_size":16,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":32,"max_position_embeddings":64}""");
        string[] subjects = ["the cat", "a dog", "the old man", "my sister", "the committee"], verbs = ["saw", "liked", "found", "painted"],
            objects = ["the river", "a red house", "the new report", "an apple tree"];
        File.WriteAllLines(Path.Combine(_dir, "corpus.txt"),
            Enumerable.Range(0, 40).Select(i => $"{subjects[i % 5]} {verbs[i % 4]} {objects[i / 5 % 4]} on day {i}."));
        var spec = Path.Combine(_dir, "grid.yaml");
        File.WriteAllText(spec, $"""
            name: pretrain-grid
            output: out
            config: config.json
            vocab: {Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt")}
            tasks:
              - name: rte
                data: {Fixtures.PathOf("glue/RTE")}
                max_train_examples: 32
                max_eval_examples: 16
            patterns:
              - label: Local 2
                spec: local(2)
            seeds: [7]
            pretrain: [no, yes]
            pretraining: {"{"}corpus: corpus.txt, max_steps: 2, batch_size: 8, max_length: 32, validation_share: 0.1{"}"}
            budget: {"{"}max_steps: 2, batch_size: 8, max_length: 32{"}"}
            """);

        var (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec);
        Assert.True(code == 0, stderr);
        Assert.Contains("cell 1 of 2: rte/Local 2/all/seed-7/pretrain-yes", stdout, StringComparison.Ordinal);
        var pretrained = Path.Combine(_dir, "out", "cell-1", "pretrain");
        Assert.True(File.Exists(Path.Combine(pretrained, "model", "model.safetensors")));
        Assert.Contains("\"attention_pattern\":\"local(2)\"", File.ReadAllText(Path.Combine(pretrained, "model", "config.json")).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "cell-0", "pretrain")));
        Assert.True(File.Exists(Path.Combine(_dir, "out", "cell-1", "model", "config.json")));

        var results = new ResultsFile(Path.Combine(_dir, "out", "results.jsonl")).ReadAll();
        Assert.Equal(2, results.Count);
        var no = results.Single(r => !r.Pretrain);
        var yes = results.Single(r => r.Pretrain);
        Assert.Equal(("Completed", 2, (int?)null), (no.Outcome, no.Steps, no.PretrainSteps));
        Assert.Equal(("Completed", 2, (int?)2), (yes.Outcome, yes.Steps, yes.PretrainSteps));
        Assert.True(yes.PretrainSeconds > 0);
        Assert.Equal(yes.FineTuneSeconds + yes.PretrainSeconds!.Value, yes.TrainingSeconds, 9);
        Assert.True(yes.PretrainMetrics!["sparsity"] > 0);   // pre-trained with local(2), measured on the held-out lines
        Assert.True(yes.Sparsity > 0 && yes.PaperValue is >= 0 and <= 1);

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "report", spec);
        Assert.True(code == 0, stderr);
        Assert.Contains("| Pattern | Pre-train | rte ρ | rte Pf. | Avg. ρ | Avg. Pf. |", stdout, StringComparison.Ordinal);
        Assert.Contains("| Local 2 | no | ", stdout, StringComparison.Ordinal);
        Assert.Contains("| Local 2 | yes | ", stdout, StringComparison.Ordinal);
    }
    [Fact]
    public void AGridWithALearnablePatternAtATarget_AndAnAttentionVariant_RunsAndReports()
    {
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            """{"model_type":"bert","vocab_size":30522,"hidden_size":16,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":32,"max_position_embeddings":64}""");
        var spec = Path.Combine(_dir, "forms.yaml");
        File.WriteAllText(spec, $$"""
            output: out
            config: config.json
            vocab: {{Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt")}}
            tasks: [{name: rte, data: {{Fixtures.PathOf("glue/RTE")}}, max_train_examples: 16, max_eval_examples: 8}]
            patterns:
              - full
              - {label: AAA, spec: aaa(local=1), match_sparsity_of: local(1)+global(1), alpha: 2}
              - {label: Linformer, spec: linformer(k=4)}
            seeds: [3]
            budget: {max_steps: 2, batch_size: 8, max_length: 32, gate_bias_scale: 10}
            """);
        var (code, stdout, stderr) = HelpTests.RunSieve("experiment", "run", spec);
        Assert.True(code == 0, stderr);
        Assert.Contains("target sparsity 0.", stderr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(_dir, "out", "results.jsonl"));
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"outcome\":\"Completed\"", l, StringComparison.Ordinal));

        (code, stdout, stderr) = HelpTests.RunSieve("experiment", "report", spec);
        Assert.True(code == 0, stderr);
        Assert.Contains("| AAA | ", stdout, StringComparison.Ordinal);
        Assert.Contains("| Linformer | ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("no result yet", stdout, StringComparison.Ordinal);
    }
}
