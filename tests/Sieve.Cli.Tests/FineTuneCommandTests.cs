// `sieve finetune` then `sieve evaluate` as a user runs them, on the real RTE files with a tiny model: the JSON a
// script reads, the same dev numbers from both commands (with HF's head and with a mean-pooling one), and clear errors.
using System.Text.Json;
using Sieve.TestSupport;

namespace Sieve.Cli.Tests;

public sealed class FineTuneCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-finetune-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A from-scratch BERT of width 16 with the bert-base-uncased vocabulary, written as config.json in the run's folder.
    private string TinyConfig(int layers)
    {
        var path = Path.Combine(_dir, $"config-{layers}.json");
        File.WriteAllText(path, $$"""{"model_type":"bert","vocab_size":30522,"hidden_size":16,"num_hidden_layers":{{layers}},"num_attention_heads":2,"intermediate_size":32,"max_position_embeddings":64}""");
        return path;
    }

    [Fact]
    public void Finetune_ThenEvaluate_ReportTheSameMetricsAndSparsity()
    {
        var config = TinyConfig(layers: 1);
        var output = Path.Combine(_dir, "run");
        var (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", config,
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--pattern", "local(2)+global(1)", "--output", output,
            "--max-steps", "3", "--batch-size", "8", "--max-length", "32", "--max-train-examples", "40", "--max-eval-examples", "20", "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Contains("step 3/3", stderr, StringComparison.Ordinal);
        using var trained = JsonDocument.Parse(stdout);
        var root = trained.RootElement;
        Assert.Equal("Completed", root.GetProperty("outcome").GetString());
        Assert.Equal("local(2)+global(1)", root.GetProperty("pattern").GetString());
        double accuracy = root.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        double sparsity = root.GetProperty("sparsity").GetDouble();
        Assert.InRange(sparsity, 0.3, 1.0);
        Assert.True(File.Exists(Path.Combine(output, "trainer_log.jsonl")));

        (code, stdout, stderr) = HelpTests.RunSieve("evaluate", "--model", root.GetProperty("modelDirectory").GetString()!, "--task", "rte",
            "--data", Fixtures.PathOf("glue/RTE"), "--max-length", "32", "--max-examples", "20", "--format", "json");
        Assert.True(code == 0, stderr);
        using var evaluated = JsonDocument.Parse(stdout);
        Assert.Equal(accuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(sparsity, evaluated.RootElement.GetProperty("sparsity").GetDouble(), 12);
    }

    [Fact]
    public void Finetune_GroupedByLength_WithoutCheckpoints_SavesOnlyTheFinalModel_AndRecordsTheGrouping()
    {
        var output = Path.Combine(_dir, "grouped");
        var (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", TinyConfig(layers: 1),
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--output", output, "--max-steps", "3", "--batch-size", "8",
            "--max-length", "32", "--max-train-examples", "40", "--max-eval-examples", "20", "--group-by-length", "--save-strategy", "no", "--format", "json");
        Assert.True(code == 0, stderr);
        using var trained = JsonDocument.Parse(stdout);
        Assert.Equal("Completed", trained.RootElement.GetProperty("outcome").GetString());
        Assert.Empty(Directory.GetDirectories(output, "checkpoint-*"));
        Assert.True(File.Exists(Path.Combine(output, "model", "model.safetensors")));
        Assert.Contains("\"group_by_length\"", File.ReadAllText(Path.Combine(output, "run_settings.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Finetune_GateBiasScale_IsRecordedForALearnablePattern_AndANonPositiveOneExitsWith2()
    {
        var output = Path.Combine(_dir, "gates");
        string[] common = ["finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", TinyConfig(layers: 1),
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--max-steps", "2", "--batch-size", "8",
            "--max-length", "32", "--max-train-examples", "16", "--max-eval-examples", "8", "--save-strategy", "no", "--pattern", "aaa(local=1)"];
        var (code, _, stderr) = HelpTests.RunSieve([.. common, "--output", output, "--gate-bias-scale", "10"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("\"gate_bias_scale\"", File.ReadAllText(Path.Combine(output, "run_settings.json")), StringComparison.Ordinal);

        (code, _, stderr) = HelpTests.RunSieve([.. common, "--output", Path.Combine(_dir, "gates0"), "--gate-bias-scale", "0"]);
        Assert.Equal(2, code);
        Assert.Contains("--gate-bias-scale must be a positive number, got 0", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Finetune_WithAMeanHead_ThenEvaluate_GivesTheTrainersFinalAccuracy()
    {
        var output = Path.Combine(_dir, "mean");
        var (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", TinyConfig(layers: 1),
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--classifier-pooling", "mean", "--output", output, "--learning-rate", "1e-3",
            "--max-steps", "4", "--eval-steps", "4", "--batch-size", "8", "--max-length", "32", "--max-train-examples", "40", "--max-eval-examples", "30", "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Contains("classifier: on the mean of the last hidden state", stderr, StringComparison.Ordinal);
        using var trained = JsonDocument.Parse(stdout);
        double accuracy = trained.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        var lastEval = File.ReadLines(Path.Combine(output, "trainer_log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("type").GetString() == "eval");
        Assert.Equal(4, lastEval.GetProperty("step").GetInt32());
        Assert.Equal(accuracy, lastEval.GetProperty("eval_accuracy").GetDouble(), 12);
        string model = trained.RootElement.GetProperty("modelDirectory").GetString()!;
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json"))))
            Assert.Equal("mean", config.RootElement.GetProperty("classifier_pooling").GetString());

        (code, stdout, stderr) = HelpTests.RunSieve("evaluate", "--model", model, "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"),
            "--max-length", "32", "--max-examples", "30", "--batch-size", "7", "--format", "json");
        Assert.True(code == 0, stderr);
        using var evaluated = JsonDocument.Parse(stdout);
        Assert.Equal(accuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        Assert.Empty(evaluated.RootElement.GetProperty("newlyInitialized").EnumerateArray());
    }

    [Fact]
    public void Finetune_TextTask_WithAVocabulary_ReadsWordPieces_AndEvaluateReadsThemToo()
    {
        // An LRA-Text-style file (text, label) from the RTE fixture's premises.
        var data = Directory.CreateDirectory(Path.Combine(_dir, "text-data")).FullName;
        var rows = File.ReadLines(Path.Combine(Fixtures.PathOf("glue/RTE"), "train.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Select(f => $"{f[1]}\t{(f[3] == "entailment" ? 1 : 0)}").ToArray();
        File.WriteAllLines(Path.Combine(data, "train.tsv"), ["text\tlabel", .. rows.Take(40)]);
        File.WriteAllLines(Path.Combine(data, "dev.tsv"), ["text\tlabel", .. rows.Skip(40).Take(20)]);
        var output = Path.Combine(_dir, "text-wordpiece");
        var (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "text", "--data", data, "--config", TinyConfig(layers: 1),
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--output", output, "--max-steps", "2", "--batch-size", "8",
            "--max-length", "32", "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Contains("text: read in wordpieces of", stderr, StringComparison.Ordinal);
        using var trained = JsonDocument.Parse(stdout);
        double accuracy = trained.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble();
        string model = trained.RootElement.GetProperty("modelDirectory").GetString()!;
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json"))))
            Assert.Equal(30522, config.RootElement.GetProperty("vocab_size").GetInt32());
        (code, stdout, stderr) = HelpTests.RunSieve("evaluate", "--model", model, "--task", "text", "--data", data, "--max-length", "32", "--format", "json");
        Assert.True(code == 0, stderr);
        using (var evaluated = JsonDocument.Parse(stdout))
            Assert.Equal(accuracy, evaluated.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);

        // Without a vocabulary the same file is read in bytes, and the model from scratch gets the byte vocabulary.
        (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "text", "--data", data, "--config", TinyConfig(layers: 1),
            "--output", Path.Combine(_dir, "text-bytes"), "--max-steps", "1", "--batch-size", "8", "--max-length", "32", "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Contains("text: read in UTF-8 bytes", stderr, StringComparison.Ordinal);
        using var bytes = JsonDocument.Parse(stdout);
        using var bytesConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(bytes.RootElement.GetProperty("modelDirectory").GetString()!, "config.json")));
        Assert.Equal(Sieve.Data.ByteTextEncoder.VocabularySize, bytesConfig.RootElement.GetProperty("vocab_size").GetInt32());
    }

    [Fact]
    public void Finetune_WithAnUnknownClassifierPooling_FailsNamingTheValueAndTheChoices()
    {
        var (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", ".", "--config", "c.json", "--classifier-pooling", "max");
        Assert.NotEqual(0, code);
        Assert.Contains("'max' for option '--classifier-pooling'", error, StringComparison.Ordinal);
        Assert.Contains("Mean", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Finetune_LearnsAPattern_TowardsATargetSparsity_AndEvaluateRunsItsHardenedForm()
    {
        var config = TinyConfig(layers: 1);
        var output = Path.Combine(_dir, "learned");
        var (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", config,
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--pattern", "learned_diagonal(max_offset=8, level=task)+global(1)",
            "--target-sparsity", "0.9", "--alpha", "5", "--alpha-schedule", "linear", "--sparsity-penalty", "two-sided", "--pattern-lr", "0.3", "--temperature", "2", "--temperature-end", "0.5",
            "--anneal-steps", "4", "--output", output, "--max-steps", "6", "--batch-size", "8", "--max-length", "32", "--max-train-examples", "40",
            "--max-eval-examples", "20", "--format", "json");
        Assert.True(code == 0, stderr);
        Assert.Contains("learns learned_diagonal(max_offset=8,level=task", stderr, StringComparison.Ordinal);
        Assert.Contains("target ρ 0.9, α 5 (LinearToHalf, TwoSided)", stderr, StringComparison.Ordinal);
        using var trained = JsonDocument.Parse(stdout);
        var root = trained.RootElement;
        string model = root.GetProperty("modelDirectory").GetString()!;
        using var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json")));
        Assert.StartsWith("learned_diagonal(max_offset=8,level=task", saved.RootElement.GetProperty("sieve").GetProperty("learnable_pattern").GetString(), StringComparison.Ordinal);
        var temperatures = File.ReadLines(Path.Combine(output, "trainer_log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("temperature", out _)).Select(e => e.GetProperty("temperature").GetDouble()).ToList();
        Assert.Equal(6, temperatures.Count);
        Assert.Equal(2.0, temperatures[0], 12);
        Assert.Equal(0.5, temperatures[^1], 12);

        (code, stdout, stderr) = HelpTests.RunSieve("evaluate", "--model", model, "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"),
            "--max-length", "32", "--max-examples", "20", "--format", "json");
        Assert.True(code == 0, stderr);
        using var evaluated = JsonDocument.Parse(stdout);
        Assert.Equal(root.GetProperty("sparsity").GetDouble(), evaluated.RootElement.GetProperty("sparsity").GetDouble(), 12);
    }

    [Fact]
    public void Finetune_MatchSparsityOf_TrainsTowardsTheFixedPatternsRho_AndRefusesItBesideATarget()
    {
        var config = TinyConfig(layers: 1);
        string[] run = ["finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", config, "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"),
            "--pattern", "aaa(local=1)", "--match-sparsity-of", "local(1)+global(1)", "--alpha", "2", "--max-steps", "1", "--batch-size", "8", "--max-length", "32",
            "--max-train-examples", "16", "--max-eval-examples", "8"];
        var (code, _, stderr) = HelpTests.RunSieve([.. run, "--output", Path.Combine(_dir, "matched")]);
        Assert.True(code == 0, stderr);
        Assert.Contains("the ρ of local(1)+global(1) on the training examples", stderr, StringComparison.Ordinal);
        Assert.Contains("; target ρ 0.", stderr, StringComparison.Ordinal);
        (code, _, stderr) = HelpTests.RunSieve([.. run, "--target-sparsity", "0.5", "--output", Path.Combine(_dir, "both")]);
        Assert.Equal(2, code);
        Assert.Contains("not both", stderr, StringComparison.Ordinal);
        (code, _, stderr) = HelpTests.RunSieve([.. run, "--match-sparsity-on", "dev", "--output", Path.Combine(_dir, "on-dev")]);
        Assert.True(code == 0, stderr);
        Assert.Contains("the ρ of local(1)+global(1) on the dev examples", stderr, StringComparison.Ordinal);
        (code, _, stderr) = HelpTests.RunSieve([.. run.Where(a => a is not "--match-sparsity-of" and not "local(1)+global(1)"), "--target-sparsity", "0.5",
            "--match-sparsity-on", "dev", "--output", Path.Combine(_dir, "on-alone")]);
        Assert.Equal(2, code);
        Assert.Contains("give --match-sparsity-of too", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Finetune_AndEvaluate_ReportWhatTheAttentionVariantsLearned()
    {
        var config = TinyConfig(layers: 2);
        var (code, stdout, stderr) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", config,
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--pattern", "layers(0: adaptive_span(max=32, ramp=4); 1: entmax(alpha=1.5))",
            "--output", Path.Combine(_dir, "variants"), "--max-steps", "2", "--batch-size", "8", "--max-length", "32", "--max-train-examples", "16",
            "--max-eval-examples", "12");
        Assert.True(code == 0, stderr);
        Assert.Contains("attention variants:", stdout, StringComparison.Ordinal);
        Assert.Contains("layer  0: adaptive_span(max=32,ramp=4)  span ", stdout, StringComparison.Ordinal);
        Assert.Contains("zero_share ", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = HelpTests.RunSieve("evaluate", "--model", Path.Combine(_dir, "variants", "model"), "--task", "rte",
            "--data", Fixtures.PathOf("glue/RTE"), "--max-length", "32", "--max-examples", "12", "--format", "json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var variants = json.RootElement.GetProperty("variants");
        Assert.Equal(2, variants.GetArrayLength());
        var spans = variants[0].GetProperty("report").GetProperty("values").GetProperty("span");
        Assert.Equal(2, spans.GetArrayLength());   // one learned span per head
        double zeros = variants[1].GetProperty("report").GetProperty("values").GetProperty("zero_share")[0].GetDouble();
        Assert.InRange(zeros, 0.0, 1.0);
    }

    [Fact]
    public void Finetune_TargetSparsityWithoutALearnablePattern_OrABadSchedule_ExitsWith2()
    {
        var config = TinyConfig(layers: 1);
        var (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", config,
            "--vocab", Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"), "--pattern", "local(2)", "--target-sparsity", "0.8", "--max-length", "32", "--output", Path.Combine(_dir, "y"));
        Assert.Equal(2, code);
        Assert.Contains("a target sparsity trains a learnable pattern", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
        (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", "c.json",
            "--pattern", "aaa(local=2)", "--alpha-schedule", "cosine", "--output", Path.Combine(_dir, "z"));
        Assert.NotEqual(0, code);
        Assert.Contains("cosine", error, StringComparison.Ordinal);
        (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--config", "c.json",
            "--pattern", "aaa(local=2)", "--sparsity-penalty", "squared", "--output", Path.Combine(_dir, "z"));
        Assert.NotEqual(0, code);
        Assert.Contains("squared", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Finetune_WithNeitherModelNorConfig_OrAnUnknownTask_ExitsWith2()
    {
        var (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", Fixtures.PathOf("glue/RTE"), "--output", Path.Combine(_dir, "x"));
        Assert.Equal(2, code);
        Assert.Contains("--config", error, StringComparison.Ordinal);
        (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rtee", "--data", Fixtures.PathOf("glue/RTE"), "--output", Path.Combine(_dir, "x"), "--config", "c.json");
        Assert.Equal(2, code);
        Assert.Contains("rtee", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Sieve.", error, StringComparison.Ordinal);
    }
}
