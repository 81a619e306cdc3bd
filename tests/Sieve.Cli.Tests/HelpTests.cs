// Proves the real `sieve` program starts and describes itself: run as its own process, as a user would run it.
using System.Diagnostics;

namespace Sieve.Cli.Tests;

public sealed class HelpTests
{
    [Fact]
    public void Help_RunsAndDescribesSieve()
    {
        var (exitCode, output, error) = RunSieve("--help");

        Assert.True(exitCode == 0, $"sieve --help exited with {exitCode}: {error}");
        Assert.Contains("sparse attention", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("sieve", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_FailsWithAMessage()
    {
        var (exitCode, _, error) = RunSieve("no-such-command");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no-such-command", error, StringComparison.Ordinal);
    }

    /// <summary>Runs the sieve.dll built beside this test assembly with the same dotnet host.</summary>
    internal static (int ExitCode, string Output, string Error) RunSieve(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sieve.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}
