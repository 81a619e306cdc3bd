// The results of a grid as JSON lines, safe for many writers (cells fanned out as processes over machines that share
// the folder): each line is appended whole, in one write, under an exclusive lock file, after checking under that
// lock that its id is not there yet, and flushed to disk. A cell that crashes writes nothing, so a rerun runs it.
using System.Text;
using System.Text.Json;

namespace Sieve.Experiments;

/// <summary>An append-only JSONL file of <see cref="CellResult"/>, one line per finished cell, never a duplicate id.</summary>
public sealed class ResultsFile
{
    /// <summary>The results file at <paramref name="path"/> (created on the first append).</summary>
    public ResultsFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The results file.</summary>
    public string Path { get; }

    /// <summary>The lock file beside it; whoever holds it open exclusively may read-check-append.</summary>
    public string LockPath => Path + ".lock";

    /// <summary>How long <see cref="TryAppend"/> waits for the lock before it gives up (default 2 minutes).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Every recorded cell, in file order. A line that does not parse (only a torn last line after a power loss can be
    /// such) is skipped: its cell counts as unfinished and runs again.
    /// </summary>
    public IReadOnlyList<CellResult> ReadAll()
    {
        if (!File.Exists(Path)) return [];
        string text;
        using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
            text = reader.ReadToEnd();
        var results = new List<CellResult>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                if (JsonSerializer.Deserialize<CellResult>(line, CellResult.Json) is { } result) results.Add(result);
            }
            catch (JsonException)
            {
                // A torn line: its cell is not finished.
            }
        }
        return results;
    }

    /// <summary>The ids of the recorded cells.</summary>
    public IReadOnlySet<string> FinishedIds() => ReadAll().Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Appends <paramref name="result"/> unless a line with its id is already there; returns whether it wrote. The
    /// check and the write happen under the lock, the line goes out in one write and is flushed to disk before the
    /// lock is released.
    /// </summary>
    /// <exception cref="IOException">The lock stayed taken for <see cref="LockTimeout"/>.</exception>
    public bool TryAppend(CellResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(result, CellResult.Json) + "\n");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var held = AcquireLock();
        if (FinishedIds().Contains(result.Id)) return false;
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        if (stream.Length > 0 && !EndsWithNewline())
        {
            // A torn line from a crash: end it, so it cannot swallow this one.
            line = [(byte)'\n', .. line];
        }
        stream.Write(line);
        stream.Flush(flushToDisk: true);
        return true;
    }

    private bool EndsWithNewline()
    {
        using var read = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0) return true;
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }

    // FileShare.None takes an exclusive advisory lock (flock on Unix), released by the OS if the process dies.
    private FileStream AcquireLock()
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        int wait = 5;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(wait, 2 * wait));
                wait = Math.Min(wait * 2, 200);
            }
            catch (IOException e)
            {
                throw new IOException($"could not lock {LockPath} within {LockTimeout.TotalSeconds:0} s; another sieve process is writing results, or hung holding the lock. Try again, or stop that process.", e);
            }
        }
    }
}
