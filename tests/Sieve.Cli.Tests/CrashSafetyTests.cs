// Interrupted runs of the real `sieve` program (issue 16): SIGTERM, what schedulers send, stops with a checkpoint
// like Ctrl-C; and a run killed (SIGKILL) at seeded random moments, checkpoints written every step so that kills land
// in checkpoint writes too, ends after --resume with the final model of an uninterrupted run, byte for byte.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Sieve.Training;
using Xunit.Abstractions;

namespace Sieve.Cli.Tests;

public sealed partial class CrashSafetyTests(ITestOutputHelper log) : IDisposable
{
    private const int Steps = 24;
    private readonly TinyCorpus _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Sigterm_StopsAtAStepBoundary_WithACheckpoint_LikeCtrlC()
    {
        var output = Path.Combine(_files.Folder, "terminated");
        using var run = SieveProcess.Start(_files.Pretrain("terminated", "--max-steps", "5000", "--save-steps", "100000"));
        Assert.True(run.WaitForStep(1), run.Error);
        using (var kill = Process.Start("kill", ["-TERM", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(run.WaitForExit(TimeSpan.FromMinutes(1)), "the run did not stop after SIGTERM");

        Assert.True(run.ExitCode == CommandRunner.Cancelled, $"exit {run.ExitCode}: {run.Error}");
        Assert.Contains("terminated: stopping at the end of this step", run.Error, StringComparison.Ordinal);
        var (step, _) = Assert.Single(TrainerCheckpoint.List(output));
        Assert.InRange(step, 1, 4999);
    }

    [Fact]
    public void KilledAtRandomMoments_ThenResumed_EndsWithTheModelOfAnUninterruptedRun()
    {
        string[] Args(string run, params string[] extra) => _files.Pretrain(run, ["--max-steps", $"{Steps}", "--save-steps", "1", "--save-total-limit", "2", .. extra]);
        var straight = HelpTests.RunSieve(Args("straight"));
        Assert.True(straight.ExitCode == 0, straight.Error);

        var output = Path.Combine(_files.Folder, "killed");
        var random = new Random(16);
        var kills = 0;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var run = SieveProcess.Start(attempt == 0 ? Args("killed") : Args("killed", "--resume"));
            var first = run.WaitForAnyStep();
            if (first is null) break;   // finished before it showed a step
            var target = first.Value + random.Next(0, 4);
            if (!run.WaitForStep(target)) break;
            var delay = random.Next(0, 40);
            Thread.Sleep(delay);   // into the step's checkpoint write, or the next step
            run.Kill();
            kills++;
            var leftovers = Directory.GetFileSystemEntries(output, ".*tmp-*").Concat(Directory.GetDirectories(output, ".staging-*")).ToList();
            log.WriteLine($"killed {delay} ms after step {target}; left behind: {(leftovers.Count == 0 ? "nothing" : string.Join(", ", leftovers.Select(Path.GetFileName)))}");
        }
        Assert.True(kills >= 2, $"only {kills} kills landed before the run ended");

        var resumed = HelpTests.RunSieve(Args("killed", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_files.Folder, "straight", "model", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(output, "model", "model.safetensors")));
        Assert.Empty(Directory.GetDirectories(output, ".staging-*"));
        Assert.Empty(Directory.GetFileSystemEntries(output, ".*tmp-*"));
        // The log holds every step once, in order, each line whole.
        var steps = File.ReadLines(Path.Combine(output, TrainingLog.FileName))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("type").GetString() == "train")
            .Select(r => r.GetProperty("step").GetInt32());
        Assert.Equal(Enumerable.Range(1, Steps), steps);
    }

    /// <summary>The built sieve.dll as a child process whose progress lines on stderr can be waited for.</summary>
    private sealed partial class SieveProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly SemaphoreSlim _changed = new(0);

        private SieveProcess(Process process)
        {
            _process = process;
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_lines) _lines.Add(e.Data);
                _changed.Release();
            };
            _process.OutputDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
        }

        public int Id => _process.Id;

        public int ExitCode => _process.ExitCode;

        public string Error
        {
            get
            {
                lock (_lines) return string.Join('\n', _lines);
            }
        }

        public static SieveProcess Start(string[] args)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sieve.dll"));
            foreach (var arg in args) start.ArgumentList.Add(arg);
            return new SieveProcess(Process.Start(start)!);
        }

        /// <summary>The first step the run reports, or null when it ends without one.</summary>
        public int? WaitForAnyStep() => WaitFor(steps => steps.Count > 0 ? steps[0] : null);

        /// <summary>Whether the run reported <paramref name="step"/> (false: it ended first).</summary>
        public bool WaitForStep(int step) => WaitFor(steps => steps.Contains(step) ? step : null) is not null;

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) return false;
            _process.WaitForExit();   // drains the redirected streams
            return true;
        }

        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited) Kill();
            _process.Dispose();
            _changed.Dispose();
        }

        private int? WaitFor(Func<List<int>, int?> found)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (DateTime.UtcNow < deadline)
            {
                if (found(Steps()) is { } hit) return hit;
                if (_process.HasExited)
                {
                    _process.WaitForExit();   // the last lines arrive after the exit
                    return found(Steps());
                }
                _changed.Wait(TimeSpan.FromMilliseconds(50));
            }
            throw new TimeoutException($"the run showed no such step within 2 minutes: {Error}");
        }

        private List<int> Steps()
        {
            lock (_lines)
                return [.. _lines.Select(l => StepLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        }

        [GeneratedRegex(@"step (\d+)/")]
        private static partial Regex StepLine();
    }
}
