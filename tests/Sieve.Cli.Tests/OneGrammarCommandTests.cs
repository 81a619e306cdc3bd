// Issue 17: every `--pattern` and every grid row reads the one spec grammar (patterns and their algebra, schedules,
// attention variants, learnable patterns). Each command runs the forms that make sense for it and refuses the others
// with a reason and what to do instead, instead of a parse error of its own grammar. Tiny models and data are made here.
using Sieve.Checkpoints;
using Sieve.Modeling;
using static TorchSharp.torch;

namespace Sieve.Cli.Tests;

public sealed class OneGrammarCommandTests : IDisposable
{
    private const string Schedule = "layers(0: local(1)+global(1); *: full)";
    private const string Variant = "linformer(k=4)";
    private const string Learnable = "aaa(local=1)+global(1)";

    private static readonly string[] _words = ["the", "cat", "sat", "on", "mat", "a", "dog", "ran", "good", "bad", "film"];

    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-grammar-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BertConfig Config => new()
    {
        VocabSize = 5 + _words.Length,
        HiddenSize = 16,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 32,
        MaxPositionEmbeddings = 64,
        NumLabels = 2,
    };

    private string Vocab()
    {
        string path = Path.Combine(_dir, "vocab.txt");
        if (!File.Exists(path)) File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. _words]);
        return path;
    }

    private string ConfigFile()
    {
        string path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, Config.ToJson());
        return path;
    }

    private string Model()
    {
        manual_seed(7);
        using var model = new BertForSequenceClassification(Config);
        string directory = Path.Combine(_dir, "model");
        BertCheckpoint.Save(model, model.Config, directory, Vocab());
        return directory;
    }

    private string Data()
    {
        string folder = Path.Combine(_dir, "sst2");
        Directory.CreateDirectory(folder);
        string[] rows = ["sentence\tlabel", "the cat sat on the mat\t1", "a dog ran\t0", "good film\t1", "bad film\t0", "the dog sat on a mat\t1", "a bad cat ran\t0"];
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), rows);
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), rows);
        return folder;
    }

    private static void Refused((int Code, string Output, string Error) run, params string[] reason)
    {
        Assert.Equal(2, run.Code);
        foreach (string part in reason) Assert.Contains(part, run.Error, StringComparison.Ordinal);
    }

    private static void Ran((int Code, string Output, string Error) run) => Assert.True(run.Code == 0, run.Error);

    [Fact]
    public void Patterns_DrawAndCountFixedPatternsAndSchedules_AndRefuseVariantsAndLearnablePatterns()
    {
        Ran(CliInvocation.Run("patterns", "stats", Schedule, "--n", "8", "--layers", "2"));
        Ran(CliInvocation.Run("patterns", "show", Schedule, "--n", "8"));
        Refused(CliInvocation.Run("patterns", "show", Variant, "--n", "8"), "patterns show does not take the attention variant linformer(k=4,share=none)", "not a pattern of allowed keys");
        Refused(CliInvocation.Run("patterns", "stats", Learnable), "patterns stats does not take the learnable pattern aaa(local=1)+global(1)", "until fine-tuning", "--model DIR");
        Refused(CliInvocation.Run("patterns", "render", "full", Variant, "--output", Path.Combine(_dir, "x.png")), "patterns render does not take the attention variant");
    }

    [Fact]
    public void BenchAttention_TimesFixedPatterns_AndRefusesTheOtherForms_WithWhereTheyGo()
    {
        string[] shape = ["bench", "attention", "--n", "16", "--heads", "1", "--dim", "4", "--repeats", "1", "--warmup", "0", "--no-memory", "--kernels", "reference", "--format", "json"];
        Ran(CliInvocation.Run([.. shape, "--pattern", "local(1)+global(1)"]));
        Refused(CliInvocation.Run([.. shape, "--pattern", Learnable]), "bench attention does not take the learnable pattern", "as the fixed pattern it learned");
        Refused(CliInvocation.Run([.. shape, "--pattern", Variant]), "bench attention does not take the attention variant", "with --variants");
        Refused(CliInvocation.Run([.. shape, "--variants", "local(2)"]), "bench attention --variants does not take the fixed pattern local(2)", "with --pattern");
        Refused(CliInvocation.Run("bench", "model", "--pattern", Variant), "bench model does not take the attention variant");
    }

    [Fact]
    public void EncodeAndEvaluate_RunPatternsAndSchedulesOnATrainedModel_AndRefuseALearnablePatternItNeverTrained()
    {
        string model = Model();
        var encoded = CliInvocation.Run("encode", "--model", model, "--text", "the cat sat", "--pattern", Schedule, "--format", "json");
        Ran(encoded);
        Assert.Contains("layers(0:local(1)+global(1);*:full)", encoded.Output, StringComparison.Ordinal);
        Refused(CliInvocation.Run("encode", "--model", model, "--text", "the cat sat", "--pattern", Learnable), "encode does not take the learnable pattern", "fine-tune it first");
        // Variants carry weights: a model trained without them cannot run them.
        Refused(CliInvocation.Run("encode", "--model", model, "--text", "the cat sat", "--pattern", Variant), "variants cannot be replaced");

        Ran(CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", Data(), "--pattern", Schedule));
        Refused(CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", Data(), "--pattern", Learnable), "evaluate does not take the learnable pattern");
    }

    [Fact]
    public void Pretrain_RunsVariants_AndRefusesALearnablePattern_WithWhereToLearnIt()
    {
        string[] run = ["pretrain", "--data", Corpus(), "--vocab", Vocab(), "--config", ConfigFile(), "--max-length", "16", "--batch-size", "4", "--max-steps", "1", "--validation-share", "0"];
        Ran(CliInvocation.Run([.. run, "--output", Path.Combine(_dir, "variant"), "--pattern", $"layers(0: {Variant}; *: local(1))"]));
        Refused(CliInvocation.Run([.. run, "--output", Path.Combine(_dir, "learnable"), "--pattern", Learnable]), "pretrain does not take the learnable pattern", "sieve finetune --pattern");
    }

    [Fact]
    public void Finetune_TakesEveryForm_AndAMisspeltVariantGetsADidYouMean()
    {
        string[] run = ["finetune", "--task", "sst2", "--data", Data(), "--vocab", Vocab(), "--config", ConfigFile(), "--max-length", "16", "--batch-size", "4", "--max-steps", "1"];
        Ran(CliInvocation.Run([.. run, "--output", Path.Combine(_dir, "schedule"), "--pattern", Schedule]));
        Ran(CliInvocation.Run([.. run, "--output", Path.Combine(_dir, "variant"), "--pattern", $"layers(0: {Variant}; *: local(1))"]));
        Ran(CliInvocation.Run([.. run, "--output", Path.Combine(_dir, "learnable"), "--pattern", Learnable]));
        Refused(CliInvocation.Run([.. run, "--output", Path.Combine(_dir, "typo"), "--pattern", "linformr(k=4)"]), "did you mean 'linformer'?");
    }

    [Fact]
    public void AnExperimentGrid_ReadsItsRowsInTheOneGrammar_AndRefusesWhatALayerSetCannotPlace()
    {
        string Grid(string row, string layers = "[all]")
        {
            string path = Path.Combine(_dir, "grid.yaml");
            File.WriteAllText(path, $"""
                name: grid
                output: out
                config: {ConfigFile()}
                vocab: {Vocab()}
                tasks:
                  - name: sst2
                    data: {Data()}
                patterns:
                  - full
                  - "{row}"
                layers: {layers}
                """);
            return path;
        }
        Ran(CliInvocation.Run("experiment", "run", Grid(Schedule), "--list"));
        Ran(CliInvocation.Run("experiment", "run", Grid(Variant, "[all, {later: 1}]"), "--list"));
        Ran(CliInvocation.Run("experiment", "run", Grid(Learnable), "--list"));
        Refused(CliInvocation.Run("experiment", "run", Grid(Learnable, "[all, {later: 1}]"), "--list"), "learns every layer, so the layer set 'later' (1) cannot place it");
    }

    private string Corpus()
    {
        string path = Path.Combine(_dir, "corpus.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 12).Select(i => string.Join(' ', _words.Skip(i % 5).Take(3 + (i % 4)))));
        return path;
    }
}
