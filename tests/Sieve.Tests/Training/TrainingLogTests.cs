// The JSONL log on resume (issue 16): the records kept are written to a new file renamed over the log, so the log a
// reader (or a kill) sees at any moment is either the old one, whole, or the new one, never a truncated one.
using Sieve.Training;

namespace Sieve.Tests.Training;

public sealed class TrainingLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Record(int step) => $$"""{"type":"train","step":{{step}},"epoch":0,"loss":1}""";

    [Fact]
    public void Resume_ReplacesTheLogByRename_AndNeverRewritesTheOldFileInPlace()
    {
        var path = Path.Combine(_dir, TrainingLog.FileName);
        var original = string.Join('\n', Enumerable.Range(1, 5).Select(Record)) + "\n{\"type\":\"train\",\"st";   // a line cut by a kill
        File.WriteAllText(path, original);
        // A handle opened before the resume keeps seeing the file it opened: in-place truncation would show up here.
        using var before = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        using (var log = new TrainingLog(path, resumeStep: 3))
            log.Write("train", 4, 0, [KeyValuePair.Create("loss", 2.0)]);

        Assert.Equal(original, new StreamReader(before).ReadToEnd());
        var lines = File.ReadAllLines(path);
        Assert.Equal([Record(1), Record(2), Record(3)], lines[..3]);
        Assert.Equal(4, lines.Length);
        Assert.Contains("\"step\":4", lines[3], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
    }
}
