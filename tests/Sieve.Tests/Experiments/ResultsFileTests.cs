// The results file under many writers and after a crash: one line per id however many processes race to append it,
// and a torn last line neither counts as finished nor swallows the next line.
using System.Text.Json;
using Sieve.Experiments;

namespace Sieve.Tests.Experiments;

public sealed class ResultsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static CellResult Result(string id, double value = 0.5) => new()
    {
        Id = id,
        Task = "rte",
        Pattern = "full",
        PatternSpec = "full",
        Layers = "all",
        Outcome = "Completed",
        Metrics = new Dictionary<string, double> { ["accuracy"] = value },
        PaperMetric = "accuracy",
        PaperValue = value,
        Sparsity = 0.25,
        FinishedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void ConcurrentWriters_OfTheSameId_LeaveOneLine()
    {
        var path = Path.Combine(_dir, "results.jsonl");
        using var start = new Barrier(8);
        var wrote = new bool[8];
        // Each writer has its own ResultsFile, as separate processes would; all start at once.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var file = new ResultsFile(path);
            start.SignalAndWait();
            wrote[i] = file.TryAppend(Result("rte/full/all/seed-1/pretrain-no", i));
            file.TryAppend(Result($"other-{i}"));
        });

        Assert.Equal(1, wrote.Count(w => w));
        var lines = File.ReadAllLines(path);
        Assert.Equal(9, lines.Length);
        Assert.Single(lines, l => l.Contains("\"rte/full/all/seed-1/pretrain-no\"", StringComparison.Ordinal));
        foreach (var line in lines) JsonDocument.Parse(line).Dispose();   // every line whole
        Assert.Equal(9, new ResultsFile(path).FinishedIds().Count);
    }

    [Fact]
    public void ALine_RoundTrips_WithItsFields()
    {
        var file = new ResultsFile(Path.Combine(_dir, "sub", "results.jsonl"));
        var result = Result("a/b", 0.625) with { Seed = 3, Pretrain = true, PeakBytes = 1234, TrainingSeconds = 1.5, Steps = 7 };
        Assert.True(file.TryAppend(result));
        Assert.False(file.TryAppend(result with { PaperValue = 0.1 }));

        var read = Assert.Single(file.ReadAll());
        Assert.Equal(result.Id, read.Id);
        Assert.Equal(0.625, read.PaperValue);
        Assert.Equal(0.625, read.Metrics["accuracy"]);
        Assert.Equal((3, true, 1234L, 7), (read.Seed, read.Pretrain, read.PeakBytes!.Value, read.Steps));
        Assert.Contains("\"paperValue\":0.625", File.ReadAllText(file.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void ATornLastLine_IsNotFinished_AndDoesNotSwallowTheNextLine()
    {
        var path = Path.Combine(_dir, "results.jsonl");
        var file = new ResultsFile(path);
        Assert.True(file.TryAppend(Result("first")));
        File.AppendAllText(path, "{\"id\":\"torn\",\"task\":\"rt");   // a write cut short by a power loss

        Assert.Equal(["first"], file.FinishedIds());
        Assert.True(file.TryAppend(Result("torn")));
        Assert.Equal(["first", "torn"], file.ReadAll().Select(r => r.Id));
    }
}
