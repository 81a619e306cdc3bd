// Hostile input never crashes a command (issue 16): a vocabulary without BERT's special tokens, a bad config.json,
// lengths that would overflow or allocate absurd pictures, inputs the model cannot hold. Each is one line on stderr
// and exit code 2, never a stack trace. The model folders are generated here, small enough to load in milliseconds.
using System.Runtime.InteropServices;
using Sieve.Checkpoints;
using Sieve.Modeling;
using static TorchSharp.torch;

namespace Sieve.Cli.Tests;

public sealed class HostileInputCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-cli-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] _specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private static BertConfig SmallConfig => new()
    {
        VocabSize = 30,
        HiddenSize = 8,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 16,
        MaxPositionEmbeddings = 24,
        Architectures = [nameof(BertForSequenceClassification)],
    };

    // A random classifier of `config` with a vocabulary of `vocab` (the specials and w0, w1, … by default).
    private string Model(string name, BertConfig? config = null, IEnumerable<string>? vocab = null)
    {
        config ??= SmallConfig;
        string folder = Path.Combine(_dir, name);
        string vocabPath = Path.Combine(_dir, name + "-vocab.txt");
        File.WriteAllLines(vocabPath, vocab ?? _specials.Concat(Enumerable.Range(0, config.VocabSize - _specials.Length).Select(i => $"w{i}")));
        using var model = new BertForSequenceClassification(config);
        BertCheckpoint.Save(model, config, folder, vocabPath);
        return folder;
    }

    // An SST-2 folder (train and dev) over the w0 … w9 words.
    private string Sst2()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "sst2")).FullName;
        string[] rows = ["sentence\tlabel", "w1 w2 w3\t1", "w4 w5\t0", "w6 w7 w8 w9\t1", "w0\t0"];
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), rows);
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), rows);
        return folder;
    }

    private string File_(string name, params string[] lines)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    internal static void AssertOneLineError(int code, string error, params string[] parts)
    {
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.Single(error.Trim().ReplaceLineEndings("\n").Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);   // a stack frame
        foreach (var part in parts) Assert.Contains(part, error, StringComparison.Ordinal);
    }

    public static TheoryData<string> BadVocabularies => new() { "no-specials", "empty" };

    [Theory]
    [MemberData(nameof(BadVocabularies))]
    public void AVocabularyWithoutTheSpecialTokens_IsOneLine_InEveryCommandThatReadsOne(string kind)
    {
        string[] lines = kind == "empty" ? [] : [.. Enumerable.Range(0, 30).Select(i => $"w{i}")];
        string vocab = File_($"{kind}.txt", lines);
        string expected = kind == "empty" ? "is empty" : "lacks [PAD]";
        string model = Model("model");
        File.Copy(vocab, Path.Combine(model, "vocab.txt"), overwrite: true);
        string config = File_("config.json", SmallConfig.ToJson());
        string corpus = File_("corpus.txt", "w1 w2 w3", "w4 w5 w6");

        var (code, _, error) = CliInvocation.Run("encode", "--model", model, "--text", "w1 w2");
        AssertOneLineError(code, error, "sieve encode:", expected);
        (code, _, error) = CliInvocation.Run("finetune", "--task", "sst2", "--data", Sst2(), "--config", config, "--vocab", vocab, "--output", Path.Combine(_dir, "ft"), "--max-steps", "1");
        AssertOneLineError(code, error, "sieve finetune:", expected);
        (code, _, error) = CliInvocation.Run("data", "inspect", "--task", "sst2", "--data", Sst2(), "--vocab", vocab);
        AssertOneLineError(code, error, expected);
        (code, _, error) = CliInvocation.Run("pretrain", "--data", corpus, "--config", config, "--vocab", vocab, "--output", Path.Combine(_dir, "pt"), "--max-steps", "1");
        AssertOneLineError(code, error, "sieve pretrain:", expected);
    }

    // A usage error: the command, every parse error on one line, then where the options are described.
    private static void AssertUsageError(int code, string error, string command, params string[] parts)
    {
        Assert.True(code == 2, $"exit {code}: {error}");
        var lines = error.Trim().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{command}: ", lines[0], StringComparison.Ordinal);
        foreach (var part in parts) Assert.Contains(part, lines[0], StringComparison.Ordinal);
        Assert.Equal($"Run '{command} --help' for the options.", lines[1]);
    }

    [Fact]
    public void UsageErrors_AreOneLineAndAHint_NotTheHelpText()
    {
        var (code, output, error) = CliInvocation.Run("encode", "--text", "hi", "--no-such-option");
        AssertUsageError(code, error, "sieve encode", "'--no-such-option'", "'--model' is required");
        Assert.Empty(output);

        (code, output, error) = CliInvocation.Run("patterns", "stats");
        AssertUsageError(code, error, "sieve patterns stats", "Required argument missing");
        Assert.Empty(output);

        (code, _, error) = CliInvocation.Run("no-such-command");
        AssertUsageError(code, error, "sieve", "'no-such-command'");

        // Help is not an error, even when required options are absent.
        (code, output, _) = CliInvocation.Run("encode", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--model", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Patterns_LengthsThatWouldOverflowOrAllocateAbsurdly_AreRefusedBeforeAnyWork()
    {
        var (code, _, error) = CliInvocation.Run("patterns", "stats", "local(1)", "--n", "2147483647");
        AssertUsageError(code, error, "sieve patterns stats", "at most 1048576");

        string png = Path.Combine(_dir, "big.png");
        (code, _, error) = CliInvocation.Run("patterns", "render", "local(1)", "--n", "100000", "--output", png);
        AssertUsageError(code, error, "sieve patterns render", "at most 16384");
        Assert.False(File.Exists(png));

        (code, _, error) = CliInvocation.Run("patterns", "show", "full", "--n", "100000");
        AssertUsageError(code, error, "sieve patterns show", "at most 16384");

        (code, _, error) = CliInvocation.Run("patterns", "stats", "local(1)", "--n", "4", "--layers", "2147483647", "--heads", "2");
        AssertUsageError(code, error, "sieve patterns stats", "4294967294 maps");

        (code, _, error) = CliInvocation.Run("patterns", "show", "full", "--n", "600");
        AssertOneLineError(code, error, "at most 512", "--png");

        // Many panels of an allowed length still make too wide a picture: refused by the picture, not by SkiaSharp.
        (code, _, error) = CliInvocation.Run(["patterns", "render", .. Enumerable.Repeat("local(1)", 80), "--n", "320", "--output", png]);
        AssertOneLineError(code, error, "too large");
        Assert.False(File.Exists(png));
    }

    // A long sentence: more tokens than the small model's 24 positions.
    private static string LongText => string.Join(' ', Enumerable.Range(0, 40).Select(i => $"w{i % 20}"));

    [Fact]
    public void Evaluate_ByDefault_TruncatesToTheModelsPositions_AndALongerMaxLengthIsRefusedNamingTheLimit()
    {
        string model = Model("model");
        string data = Directory.CreateDirectory(Path.Combine(_dir, "long")).FullName;
        File.WriteAllLines(Path.Combine(data, "dev.tsv"), ["sentence\tlabel", $"{LongText}\t1", "w1 w2\t0"]);

        var (code, _, error) = CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", data);
        Assert.True(code == 0, error);

        (code, _, error) = CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", data, "--max-length", "100");
        AssertOneLineError(code, error, "--max-length 100 exceeds the model's 24 position embeddings");
    }

    [Fact]
    public void Encode_ALongerMaxLengthThanThePositions_IsRefusedNamingTheLimit()
    {
        var (code, _, error) = CliInvocation.Run("encode", "--model", Model("model"), "--text", LongText, "--max-length", "100");
        AssertOneLineError(code, error, "--max-length 100 exceeds the model's 24 position embeddings", "at most 24");
    }

    [Fact]
    public void AVocabularyLargerThanTheModels_IsRefused_InEncodeAndEvaluate()
    {
        // vocab.txt has 40 entries, the word embeddings 30 rows: w30 would index past them.
        string model = Model("model", vocab: _specials.Concat(Enumerable.Range(0, 35).Select(i => $"w{i}")));
        var (code, _, error) = CliInvocation.Run("encode", "--model", model, "--text", "w30 w31");
        AssertOneLineError(code, error, "the tokenizer has 40 ids but the model's vocab_size is 30");

        (code, _, error) = CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", Sst2());
        AssertOneLineError(code, error, "the tokenizer has 40 ids but the model's vocab_size is 30");
    }

    [Fact]
    public void APair_ForAModelWithOneTokenType_IsRefused_InEncodeEvaluateAndFinetune()
    {
        string model = Model("single", SmallConfig with { TypeVocabSize = 1 });
        var (code, _, error) = CliInvocation.Run("encode", "--model", model, "--text", "w1 w2", "--text-pair", "w3");
        AssertOneLineError(code, error, "type_vocab_size is 1");

        (code, _, error) = CliInvocation.Run("encode", "--model", model, "--text", "w1 w2");
        Assert.True(code == 0, error);

        string rte = Directory.CreateDirectory(Path.Combine(_dir, "rte")).FullName;
        File.WriteAllLines(Path.Combine(rte, "dev.tsv"), ["index\tsentence1\tsentence2\tlabel", "0\tw1 w2\tw3\tentailment", "1\tw4\tw5 w6\tnot_entailment"]);
        (code, _, error) = CliInvocation.Run("evaluate", "--model", model, "--task", "rte", "--data", rte);
        AssertOneLineError(code, error, "type_vocab_size is 1");

        File.Copy(Path.Combine(rte, "dev.tsv"), Path.Combine(rte, "train.tsv"));
        (code, _, error) = CliInvocation.Run("finetune", "--model", model, "--task", "rte", "--data", rte, "--max-length", "16", "--epochs", "1", "-o", Path.Combine(_dir, "rte-run"));
        Assert.True(code == 2, error);   // finetune says what it read first; the refusal is its last line
        Assert.Contains("type_vocab_size is 1", error.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [DllImport("libc", EntryPoint = "mkfifo", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int MakeFifo(string path, uint mode);

    // Replaces `path` with a named pipe no one writes to, or with a link to /dev/zero, which never ends.
    private static void MakeEndless(string path, string kind)
    {
        File.Delete(path);
        if (kind == "fifo") Assert.Equal(0, MakeFifo(path, Convert.ToUInt32("600", 8)));
        else File.CreateSymbolicLink(path, "/dev/zero");
    }

    // Runs the command on a worker thread: a command that blocks on the pipe fails the test instead of hanging it.
    private static (int Code, string Output, string Error) RunWithin(TimeSpan limit, params string[] args)
    {
        var run = Task.Run(() => CliInvocation.Run(args));
        Assert.True(run.Wait(limit), $"sieve {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s (it is reading a pipe or a device).");
        return run.Result;
    }

    public static TheoryData<string, string> EndlessFiles => new()
    {
        { "model.safetensors", "fifo" }, { "model.safetensors", "device" },
        { "config.json", "fifo" }, { "config.json", "device" },
        { "vocab.txt", "fifo" }, { "vocab.txt", "device" },
        { "tokenizer_config.json", "fifo" },
        { "dev.tsv", "fifo" }, { "dev.tsv", "device" },
    };

    [Theory]
    [MemberData(nameof(EndlessFiles))]
    public void APipeOrADevice_GivenAsAModelOrDataFile_IsRefused_NotReadForever(string file, string kind)
    {
        if (!OperatingSystem.IsLinux()) return;   // the file-type check asks Linux; elsewhere the readers' limits apply
        string model = Model("model");
        string data = Sst2();
        MakeEndless(Path.Combine(file == "dev.tsv" ? data : model, file), kind);

        var (code, _, error) = RunWithin(TimeSpan.FromSeconds(60), "evaluate", "--model", model, "--task", "sst2", "--data", data);

        AssertOneLineError(code, error, file, kind == "fifo" ? "is a named pipe (FIFO), not a file" : "is a character device, not a file");
    }

    // The model folder with one tensor renamed, as a hand-edited or badly converted checkpoint has it.
    private static void Rename(string model, string from, string to)
    {
        string file = Path.Combine(model, "model.safetensors");
        var tensors = new Dictionary<string, Tensor>();
        using (var scope = NewDisposeScope())
        {
            using (var source = SafeTensorsCheckpoint.OpenDirectory(model))
            {
                Assert.Contains(from, source.Names);
                foreach (var key in source.Names) tensors[key == from ? to : key] = source.Read(key).MoveToOuterDisposeScope();
            }
            SafeTensorsWriter.Write(file, tensors);
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    public static TheoryData<string, string> MangledNames => new()
    {
        { "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.0.attention.self.querry.weight" },
        { "bert.pooler.dense.weight", "bert.pooler.dense.weigth" },
        { "classifier.weight", "classifier.weigth" },
        { "classifier.bias", "classifer.bias" },
    };

    [Theory]
    [MemberData(nameof(MangledNames))]
    public void AMangledTensorName_IsRefusedNamingIt_NeverEvaluatedWithRandomWeights(string name, string mangled)
    {
        string model = Model("model");
        Rename(model, name, mangled);

        var (code, _, error) = CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", Sst2());
        AssertOneLineError(code, error, mangled, "match no parameter");

        (code, _, error) = CliInvocation.Run("encode", "--model", model, "--text", "w1 w2");
        AssertOneLineError(code, error, mangled, "match no parameter");
    }

    [Theory]
    [InlineData("layers(0-1: full; 2-11: local(1))", "names layer 11")]
    [InlineData("heads(0-7: local(1))", "names head 7")]
    public void ASchedulePastTheModelsLayersOrHeads_IsRefused(string spec, string message)
    {
        string model = Model("model");   // 2 layers, 2 heads
        var (code, _, error) = CliInvocation.Run("encode", "--model", model, "--text", "w1 w2", "--pattern", spec);
        AssertOneLineError(code, error, message);

        (code, _, error) = CliInvocation.Run("evaluate", "--model", model, "--task", "sst2", "--data", Sst2(), "--pattern", spec);
        AssertOneLineError(code, error, message);
    }

    [Fact]
    public void AnOutOfRangeNumber_IsOneLine_WithoutTheRuntimesActualValueLine()
    {
        var (code, _, error) = CliInvocation.Run("encode", "--model", Model("model"), "--text", "w1", "--max-length", "1");
        AssertOneLineError(code, error, "at least 2", "got 1");
    }

    [Fact]
    public void APipeGivenAsTheParseOrTheExperimentSpec_IsRefused_NotReadForever()
    {
        if (!OperatingSystem.IsLinux()) return;
        string pipe = Path.Combine(_dir, "pipe");
        MakeEndless(pipe, "fifo");

        var (code, _, error) = RunWithin(TimeSpan.FromSeconds(60), "encode", "--model", Model("model"), "--text", "w1", "--parse", pipe);
        AssertOneLineError(code, error, "is a named pipe (FIFO), not a file");

        (code, _, error) = RunWithin(TimeSpan.FromSeconds(60), "experiment", "run", pipe);
        AssertOneLineError(code, error, "is a named pipe (FIFO), not a file");
    }
}
