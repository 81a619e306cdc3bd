// The run folder's guards (issue 16): a second run into a held folder is refused naming the first, a stale lock of a
// dead process does not block, a folder holding a run is not started over, a resume with other settings names each
// differing one, --resume-from picks its checkpoint, and the temporary folders of a killed write are removed.
using Sieve.Training;

namespace Sieve.Tests.Training;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Dictionary<string, string> Settings(string learningRate = "0.001") => new() { ["learning_rate"] = learningRate, ["seed"] = "42" };

    // The one file TrainerCheckpoint.List needs to count a folder as a checkpoint.
    private string Checkpoint(int step)
    {
        var folder = TrainerCheckpoint.PathOf(_dir, step);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, TrainerState.FileName), "{}");
        return folder;
    }

    [Fact]
    public void ASecondRunIntoAHeldFolder_IsRefused_NamingTheFirst_AndMayStartOnceItEnds()
    {
        using (RunFolder.Open(_dir, Settings(), resume: false))
        {
            var refused = Assert.Throws<RunFolderException>(() => RunFolder.Open(_dir, Settings(), resume: false));
            Assert.Contains("in use by another run", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"pid {Environment.ProcessId} on {Environment.MachineName}", refused.Message, StringComparison.Ordinal);
        }
        using var next = RunFolder.Open(_dir, Settings(), resume: false);
        Assert.Null(next.ResumeCheckpoint);
    }

    [Fact]
    public void TheLockFilesOfADeadProcess_DoNotBlock()
    {
        File.WriteAllText(Path.Combine(_dir, RunFolder.LockFile), "");
        File.WriteAllText(Path.Combine(_dir, RunFolder.OwnerFile), "pid 999999 on elsewhere, started 2020-01-01 00:00:00Z");
        using var run = RunFolder.Open(_dir, Settings(), resume: false);
        Assert.Contains($"pid {Environment.ProcessId}", File.ReadAllText(Path.Combine(_dir, RunFolder.OwnerFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderHoldingACheckpointOrAModel_IsNotStartedOver_ButResumes()
    {
        using (RunFolder.Open(_dir, Settings(), resume: false)) { }
        var checkpoint = Checkpoint(3);
        var refused = Assert.Throws<RunFolderException>(() => RunFolder.Open(_dir, Settings(), resume: false));
        Assert.Contains("already holds a run (checkpoint-3)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--resume", refused.Message, StringComparison.Ordinal);
        using (var resumed = RunFolder.Open(_dir, Settings(), resume: true))
            Assert.Equal(checkpoint, resumed.ResumeCheckpoint);

        Directory.Delete(checkpoint, recursive: true);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, RunFolder.ModelFolder)).FullName, "model.safetensors"), "");
        Assert.Throws<RunFolderException>(() => RunFolder.Open(_dir, Settings(), resume: false));
    }

    [Fact]
    public void Resume_WithOtherSettings_NamesEachDifferingOne()
    {
        using (RunFolder.Open(_dir, Settings("0.001"), resume: false)) { }
        Checkpoint(2);
        var changed = Settings("0.002");
        changed["pattern"] = "local(2)";
        var refused = Assert.Throws<RunFolderException>(() => RunFolder.Open(_dir, changed, resume: true));
        Assert.Contains("learning_rate was 0.001, now 0.002", refused.Message, StringComparison.Ordinal);
        Assert.Contains("pattern was unset, now local(2)", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("seed", refused.Message, StringComparison.Ordinal);
        // The refused run changed nothing: the recorded settings are still the first run's.
        Assert.Equal("0.001", RunFolder.ReadSettings(_dir)!["learning_rate"]);
    }

    [Fact]
    public void ResumeFrom_PicksTheGivenCheckpoint_AndNothingToResumeIsAClearError()
    {
        var missing = Assert.Throws<RunFolderException>(() => RunFolder.Open(_dir, Settings(), resume: true));
        Assert.Contains("nothing to resume", missing.Message, StringComparison.Ordinal);

        using (RunFolder.Open(_dir, Settings(), resume: false)) { }
        var older = Checkpoint(2);
        Checkpoint(4);
        using (var run = RunFolder.Open(_dir, Settings(), resume: false, resumeFrom: older))
            Assert.Equal(older, run.ResumeCheckpoint);
        var absent = Assert.Throws<RunFolderException>(() => RunFolder.Open(_dir, Settings(), resume: true, resumeFrom: Path.Combine(_dir, "checkpoint-9")));
        Assert.Contains("checkpoint-9: no such checkpoint folder", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunStoppedBeforeItsFirstCheckpoint_StartsOverOnResume()
    {
        using (RunFolder.Open(_dir, Settings(), resume: false)) { }
        using var run = RunFolder.Open(_dir, Settings(), resume: true);
        Assert.Null(run.ResumeCheckpoint);
    }

    [Fact]
    public void TheTemporaryFoldersOfAKilledWrite_AreRemovedOnTheNextRun()
    {
        string[] leftovers = [".staging-checkpoint-4-0123abcd", ".model.tmp-0123abcd", ".model.old-0123abcd"];
        foreach (var name in leftovers) File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, name)).FullName, "model.safetensors"), "x");
        File.WriteAllText(Path.Combine(_dir, TrainingLog.FileName + ".tmp-0123abcd"), "{}");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine");

        using var run = RunFolder.Open(_dir, Settings(), resume: false);

        Assert.All(leftovers, name => Assert.False(Directory.Exists(Path.Combine(_dir, name)), name));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
        Assert.True(File.Exists(Path.Combine(_dir, "notes.txt")));   // what the writers did not make stays
    }
}
