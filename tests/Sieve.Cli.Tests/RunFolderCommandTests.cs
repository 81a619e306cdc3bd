// Hostile run folders and inputs through `sieve pretrain` / `sieve finetune` as their own processes (issue 16): each
// refusal is exit code 2 and one "sieve NAME:" line (no stack trace) that names the folder, file or setting at fault.
using Sieve.Training;

namespace Sieve.Cli.Tests;

public sealed class RunFolderCommandTests : IDisposable
{
    private readonly TinyCorpus _files = new();

    public void Dispose() => _files.Dispose();

    private static void AssertOneLineError(string command, int code, string error, string expected)
    {
        Assert.True(code == 2, $"exit {code}: {error}");
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith($"sieve {command}:", StringComparison.Ordinal));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunIntoAFolderAnotherRunHolds_ExitsWith2_NamingThatRun()
    {
        var output = Path.Combine(_files.Folder, "held");
        using var first = RunFolder.Open(output, new Dictionary<string, string>(), resume: false);   // this test process is the first run
        var (code, _, error) = HelpTests.RunSieve(_files.Pretrain("held", "--max-steps", "1"));
        AssertOneLineError("pretrain", code, error, $"in use by another run (pid {Environment.ProcessId} on {Environment.MachineName}");
        Assert.Empty(TrainerCheckpoint.List(output));
    }

    [Fact]
    public void ANewRunIntoAFinishedRun_AndAResumeWithAnotherLearningRate_ExitWith2()
    {
        var (code, _, error) = HelpTests.RunSieve(_files.Pretrain("done", "--max-steps", "2"));
        Assert.True(code == 0, error);
        var model = File.ReadAllBytes(Path.Combine(_files.Folder, "done", "model", "model.safetensors"));

        (code, _, error) = HelpTests.RunSieve(_files.Pretrain("done", "--max-steps", "2"));
        AssertOneLineError("pretrain", code, error, "already holds a run (checkpoint-2); continue it with --resume");
        (code, _, error) = HelpTests.RunSieve(_files.Pretrain("done", "--max-steps", "2", "--learning-rate", "0.002", "--resume"));
        AssertOneLineError("pretrain", code, error, "learning_rate was 0.0001, now 0.002");
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(_files.Folder, "done", "model", "model.safetensors")));
    }

    [Fact]
    public void ADamagedCheckpoint_ExitsWith2_NamingTheFile_AndResumeFromAnOlderOneCompletes()
    {
        var output = Path.Combine(_files.Folder, "damaged");
        var (code, _, error) = HelpTests.RunSieve(_files.Pretrain("damaged", "--max-steps", "4", "--save-steps", "2"));
        Assert.True(code == 0, error);
        var newest = TrainerCheckpoint.PathOf(output, 4);
        var optimizer = Path.Combine(newest, TrainerCheckpoint.OptimizerFile);
        using (var stream = new FileStream(optimizer, FileMode.Open, FileAccess.Write)) stream.SetLength(stream.Length - 100);

        (code, _, error) = HelpTests.RunSieve(_files.Pretrain("damaged", "--max-steps", "4", "--save-steps", "2", "--resume"));
        AssertOneLineError("pretrain", code, error, $"{optimizer} is truncated or damaged");

        File.WriteAllText(Path.Combine(newest, TrainerState.FileName), "{\"global_step\": 4, \"max_st");
        (code, _, error) = HelpTests.RunSieve(_files.Pretrain("damaged", "--max-steps", "4", "--save-steps", "2", "--resume"));
        AssertOneLineError("pretrain", code, error, $"{Path.Combine(newest, TrainerState.FileName)}: the trainer state is not valid JSON");

        var resumed = HelpTests.RunSieve(_files.Pretrain("damaged", "--max-steps", "4", "--save-steps", "2", "--resume-from", TrainerCheckpoint.PathOf(output, 2)));
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("trained 4 steps", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("step 3/4", resumed.Error, StringComparison.Ordinal);   // it ran steps 3 and 4 again
    }

    [Fact]
    public void AnEmptyCorpus_ExitsWith2_OnOneLine()
    {
        File.WriteAllText(Path.Combine(_files.Folder, "corpus.txt"), "\n  \n");
        var (code, _, error) = HelpTests.RunSieve(_files.Pretrain("empty", "--max-steps", "1"));
        AssertOneLineError("pretrain", code, error, "corpus.txt has no non-blank line");
    }

    [Fact]
    public void AnAllMalformedDevSplit_ExitsWith2_BeforeTraining()
    {
        var data = Directory.CreateDirectory(Path.Combine(_files.Folder, "RTE")).FullName;
        File.WriteAllText(Path.Combine(data, "train.tsv"), "index\tsentence1\tsentence2\tlabel\n" + string.Concat(Enumerable.Range(0, 8).Select(i =>
            $"{i}\tw{i} w{i + 1}\tw{i + 2}\t{(i % 2 == 0 ? "entailment" : "not_entailment")}\n")));
        File.WriteAllText(Path.Combine(data, "dev.tsv"), "index\tsentence1\tsentence2\tlabel\n0\tw1\tw2\tperhaps\n");
        var (code, _, error) = HelpTests.RunSieve("finetune", "--task", "rte", "--data", data, "--config", Path.Combine(_files.Folder, "config.json"),
            "--vocab", Path.Combine(_files.Folder, "vocab.txt"), "--output", Path.Combine(_files.Folder, "tuned"), "--max-steps", "2",
            "--max-length", "16", "--batch-size", "4", "--skip-malformed");
        AssertOneLineError("finetune", code, error, $"{Path.Combine(data, "dev.tsv")} has no usable row (1 malformed, skipped)");
        Assert.Empty(TrainerCheckpoint.List(Path.Combine(_files.Folder, "tuned")));
    }
}
