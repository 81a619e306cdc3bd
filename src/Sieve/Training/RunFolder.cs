// The output folder of one training run, held for the run's whole life. Without it two runs into one folder both
// "succeed" with one run's model and a mixed log, and a resume with another learning rate continues the old run's
// checkpoint. So: a lock (a second run is refused, naming the first), a refusal to start over a folder that already
// holds a run, the run's settings recorded at the start and compared on resume, and the temporary folders of a
// checkpoint write that a kill left behind removed.
using System.Globalization;
using System.Text.Json;

namespace Sieve.Training;

/// <summary>A locked run folder and the checkpoint the run continues from, if any; dispose it when the run ends.</summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>
    /// The lock file. It is opened exclusively (an flock on Unix) for the run's life, so the operating system releases it
    /// when the process dies however it dies: a stale file never blocks the next run. It is never deleted, because
    /// deleting a lock file races with a run that has just opened it.
    /// </summary>
    public const string LockFile = ".sieve-run.lock";

    /// <summary>Who holds the lock (pid, host, start time): a separate file, because the locked one cannot be read by others.</summary>
    public const string OwnerFile = ".sieve-run.owner";

    /// <summary>The settings that change the run's result, written when the run starts (name → value).</summary>
    public const string SettingsFile = "run_settings.json";

    /// <summary>The folder under the run folder where the jobs save the final model.</summary>
    public const string ModelFolder = "model";

    // Temporary names of the checkpoint and model writers (TrainerCheckpoint, BertCheckpoint) and of the log rewrite.
    private static readonly string[] _leftoverPatterns = [".staging-*", $".{ModelFolder}.tmp-*", $".{ModelFolder}.old-*", TrainingLog.FileName + ".tmp-*", SettingsFile + ".tmp-*"];

    private static readonly JsonSerializerOptions _json = new() { WriteIndented = true };

    private readonly FileStream _lock;

    private RunFolder(string path, FileStream held, string? resumeCheckpoint)
    {
        Path = path;
        _lock = held;
        ResumeCheckpoint = resumeCheckpoint;
    }

    /// <summary>The run folder.</summary>
    public string Path { get; }

    /// <summary>The checkpoint the run continues from; null starts from the beginning.</summary>
    public string? ResumeCheckpoint { get; }

    /// <summary>
    /// Locks <paramref name="path"/> (creating it) and decides where the run starts. Without <paramref name="resume"/> a
    /// folder that holds a checkpoint or a saved model is refused. With it, the run continues from
    /// <paramref name="resumeFrom"/> when given, else from the newest checkpoint (a folder whose run recorded its
    /// settings but stopped before its first checkpoint starts over); the settings recorded beside that checkpoint
    /// must equal <paramref name="settings"/>, else the differing ones are named.
    /// </summary>
    /// <exception cref="RunFolderException">The folder is locked by another run, holds a run, or has other settings.</exception>
    public static RunFolder Open(string path, IReadOnlyDictionary<string, string> settings, bool resume, string? resumeFrom = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(settings);
        path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(path);
        var held = Lock(path);
        try
        {
            RemoveLeftovers(path);
            var checkpoint = StartingPoint(path, resume || resumeFrom is not null, resumeFrom);
            var recordedIn = checkpoint is null ? path : System.IO.Path.GetDirectoryName(checkpoint)!;
            if (checkpoint is not null || resume) Compare(recordedIn, settings, checkpoint ?? path);
            WriteSettings(path, settings);
            return new RunFolder(path, held, checkpoint);
        }
        catch
        {
            Release(path, held);
            throw;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => Release(Path, _lock);

    /// <summary>What the settings file of <paramref name="folder"/> records, or null when it has none.</summary>
    public static IReadOnlyDictionary<string, string>? ReadSettings(string folder)
    {
        var file = System.IO.Path.Combine(folder, SettingsFile);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))
                ?? throw new RunFolderException($"{file} is empty; it should record the run's settings. Restore it, or start a new run in another --output folder.");
        }
        catch (JsonException e)
        {
            throw new RunFolderException($"{file} is not the settings JSON a run writes ({e.Message}); restore it, or start a new run in another --output folder.", e);
        }
    }

    private static FileStream Lock(string path)
    {
        var file = System.IO.Path.Combine(path, LockFile);
        try
        {
            var held = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            WriteOwner(path);
            return held;
        }
        catch (IOException e) when (File.Exists(file))
        {
            var owner = System.IO.Path.Combine(path, OwnerFile);
            string who;
            try
            {
                who = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "another process";
            }
            catch (IOException)
            {
                who = "another process";
            }
            throw new RunFolderException($"{path} is in use by another run ({who}); wait for it to end, or give another --output folder.", e);
        }
    }

    private static void WriteOwner(string path)
    {
        var owner = System.IO.Path.Combine(path, OwnerFile);
        try
        {
            File.WriteAllText(owner, string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId} on {Environment.MachineName}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z"));
        }
        catch (IOException)
        {
            // Only the refusal message of a second run reads it; the lock itself is what keeps the folder.
        }
    }

    private static void Release(string path, FileStream held)
    {
        try
        {
            File.Delete(System.IO.Path.Combine(path, OwnerFile));
        }
        catch (IOException)
        {
            // A stale owner file is only ever shown next to a lock that some live run holds.
        }
        held.Dispose();
    }

    private static void RemoveLeftovers(string path)
    {
        foreach (var pattern in _leftoverPatterns)
        {
            foreach (var dir in Directory.GetDirectories(path, pattern)) Directory.Delete(dir, recursive: true);
            foreach (var file in Directory.GetFiles(path, pattern)) File.Delete(file);
        }
    }

    private static string? StartingPoint(string path, bool resume, string? resumeFrom)
    {
        if (resumeFrom is not null)
        {
            var full = System.IO.Path.GetFullPath(resumeFrom);
            if (!Directory.Exists(full))
                throw new RunFolderException($"{resumeFrom}: no such checkpoint folder; give a {TrainerCheckpoint.Prefix}<step> folder of the run.");
            return full;
        }
        var latest = TrainerCheckpoint.Latest(path);
        if (resume)
        {
            if (latest is null && ReadSettings(path) is null)
                throw new RunFolderException($"nothing to resume: {path} holds no {TrainerCheckpoint.Prefix}<step> folder and no run started there. Start without --resume.");
            return latest;
        }
        var model = System.IO.Path.Combine(path, ModelFolder);
        if (latest is not null || (Directory.Exists(model) && Directory.EnumerateFileSystemEntries(model).Any()))
            throw new RunFolderException($"{path} already holds a run ({(latest is not null ? System.IO.Path.GetFileName(latest) : ModelFolder + "/")}); continue it with --resume, or give a new --output folder (a new run would mix its checkpoints and log with the old one's).");
        return null;
    }

    private static void Compare(string recordedIn, IReadOnlyDictionary<string, string> settings, string checkpoint)
    {
        var recorded = ReadSettings(recordedIn);
        if (recorded is null) return;   // a run folder from before settings were recorded: the trainer's own checks remain
        var differing = recorded.Keys.Union(settings.Keys).Order(StringComparer.Ordinal)
            .Where(key => recorded.GetValueOrDefault(key) != settings.GetValueOrDefault(key))
            .Select(key => $"{key} was {recorded.GetValueOrDefault(key) ?? "unset"}, now {settings.GetValueOrDefault(key) ?? "unset"}")
            .ToList();
        if (differing.Count > 0)
            throw new RunFolderException($"{checkpoint} belongs to a run with other settings: {string.Join("; ", differing)}. Resume with the settings the run started with, or start a new run in another --output folder.");
    }

    private static void WriteSettings(string path, IReadOnlyDictionary<string, string> settings)
    {
        // Temp then rename, so a kill never leaves a half-written file that would block every later resume.
        var file = System.IO.Path.Combine(path, SettingsFile);
        var temp = file + ".tmp-" + Guid.NewGuid().ToString("N");
        var sorted = settings.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);
        File.WriteAllText(temp, JsonSerializer.Serialize(sorted, _json));
        File.Move(temp, file, overwrite: true);
    }
}
