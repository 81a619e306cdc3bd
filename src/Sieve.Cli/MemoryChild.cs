// One peak-memory reading in a child process (`sieve bench attention` and `sieve bench model`): this program runs again
// with a hidden option, so that the measured call is the only thing in the child's resident high-water mark.
using System.Diagnostics;
using System.Text.Json;

namespace Sieve.Cli;

/// <summary>Starts this program with given arguments and reads the one JSON line it prints last.</summary>
internal static class MemoryChild
{
    private static readonly JsonSerializerOptions _line = new(CommandRunner.Json) { WriteIndented = false };

    /// <summary>The child's line as the parent reads it back.</summary>
    public static string Serialize(MemoryLine line) => JsonSerializer.Serialize(line, _line);

    /// <summary>
    /// Runs <c>sieve ARGS</c> and returns its last stdout line; null (with a line on <paramref name="error"/> naming
    /// <paramref name="what"/>) when it fails. With <paramref name="returnFreedMemory"/> the child's glibc hands every
    /// freed buffer of 128 KiB or more straight back to the system (a fixed mmap threshold instead of the dynamic one,
    /// which lets the heap keep freed buffers), so its peak is what the call holds at its busiest moment rather than
    /// what the allocator kept; slower, so only for that reading.
    /// </summary>
    public static MemoryLine? Measure(IEnumerable<string> args, string what, TextWriter error, bool returnFreedMemory = false)
    {
        var start = HostStart();
        if (returnFreedMemory) start.Environment["MALLOC_MMAP_THRESHOLD_"] = "131072";
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} for the memory run.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        string? last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || last is null)
        {
            error.WriteLine($"sieve bench: the memory run of {what} failed (exit {process.ExitCode}); peakBytes is null. {stderr.Trim()}");
            return null;
        }
        return JsonSerializer.Deserialize<MemoryLine>(last, _line);
    }

    // The same host and program: `dotnet sieve.dll` when run through dotnet, the apphost itself otherwise.
    private static ProcessStartInfo HostStart()
    {
        string program = typeof(MemoryChild).Assembly.Location;
        string? host = Environment.ProcessPath;
        string hostName = host is null ? "" : Path.GetFileNameWithoutExtension(host);
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (host is not null && hostName == "sieve")
        {
            start.FileName = host;
            return start;
        }
        // Under dotnet (or another host such as a test runner) run the program's dll with dotnet.
        start.FileName = host is not null && hostName == "dotnet" ? host : "dotnet";
        start.ArgumentList.Add(program);
        return start;
    }
}

/// <summary>
/// The child's one line: which kernel, which length, and its peak extra bytes for a forward+backward and for a
/// forward alone (null without /proc, or where the high-water mark cannot be reset between the two).
/// </summary>
internal sealed record MemoryLine(string Kernel, int N, long? PeakBytes, long? ForwardPeakBytes)
{
    /// <summary>A repeated forward (on the same layout for one attention call); null where it was not measured.</summary>
    public long? RepeatForwardPeakBytes { get; init; }
}
