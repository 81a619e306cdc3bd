// Checkpoints written during training (the layout of HF Trainer's output/checkpoint-<step>/): model.safetensors (the
// module's state_dict, HF key names for Sieve's BERT models), optimizer.bin (TorchSharp's optimizer state: AdamW step
// counts and moments, group options) and trainer_state.json. Staged in a temporary folder and renamed, so an
// interruption never leaves a half-written checkpoint under its final name.
using System.Globalization;
using Sieve.Checkpoints;
using static TorchSharp.torch;

namespace Sieve.Training;

/// <summary>Saving, loading, listing and rotating trainer checkpoints.</summary>
public static class TrainerCheckpoint
{
    /// <summary>The prefix of checkpoint folder names.</summary>
    public const string Prefix = "checkpoint-";

    /// <summary>The model weights file.</summary>
    public const string ModelFile = "model.safetensors";

    /// <summary>The optimizer state file.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>The folder of the checkpoint at <paramref name="step"/>.</summary>
    public static string PathOf(string outputDir, int step) =>
        Path.Combine(outputDir, Prefix + step.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Writes the checkpoint of <paramref name="state"/> (its global step names the folder), replacing one of the same
    /// step. <paramref name="saveExtras"/>, when given, may add files (config.json, vocab.txt) to the staging folder.
    /// </summary>
    public static string Save(string outputDir, TrainerState state, nn.Module model, optim.Optimizer optimizer, Action<string>? saveExtras = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(model);
        var helper = AsHelper(optimizer);
        Directory.CreateDirectory(outputDir);
        var target = PathOf(outputDir, state.GlobalStep);
        var staging = Path.Combine(outputDir, ".staging-" + Path.GetFileName(target) + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            SafeTensorsWriter.Write(Path.Combine(staging, ModelFile), model.state_dict());
            using (var stream = new FileStream(Path.Combine(staging, OptimizerFile), FileMode.CreateNew, FileAccess.Write))
            using (var writer = new BinaryWriter(stream))
            {
                helper.save_state_dict(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            var files = new Dictionary<string, FileFingerprint>(StringComparer.Ordinal)
            {
                [ModelFile] = FileFingerprint.Of(Path.Combine(staging, ModelFile)),
                [OptimizerFile] = FileFingerprint.Of(Path.Combine(staging, OptimizerFile)),
            };
            (state with { Files = files }).Save(Path.Combine(staging, TrainerState.FileName));
            saveExtras?.Invoke(staging);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return target;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Restores the weights of <paramref name="model"/> and the state of <paramref name="optimizer"/> (built over the same
    /// parameters) from <paramref name="checkpointDir"/> and returns its trainer state.
    /// </summary>
    public static TrainerState Load(string checkpointDir, nn.Module model, optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var helper = AsHelper(optimizer);
        if (!Directory.Exists(checkpointDir))
            throw new DirectoryNotFoundException($"{checkpointDir}: no such checkpoint folder; pass a folder named {Prefix}<step> from the run's output.");
        var state = TrainerState.Load(Path.Combine(checkpointDir, TrainerState.FileName));
        foreach (var (name, recorded) in state.Files ?? new Dictionary<string, FileFingerprint>()) Verify(Path.Combine(checkpointDir, name), recorded);
        LoadWeights(Path.Combine(checkpointDir, ModelFile), model);
        var optimizerPath = Path.Combine(checkpointDir, OptimizerFile);
        if (!File.Exists(optimizerPath)) throw new CheckpointException($"{optimizerPath}: the checkpoint has no optimizer state; it cannot be resumed exactly. Resume from another checkpoint (--resume-from).");
        try
        {
            using var stream = File.OpenRead(optimizerPath);
            using var reader = new BinaryReader(stream);
            helper.load_state_dict(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException($"{optimizerPath}: the optimizer state ends early; the file is truncated. Resume from an older checkpoint (--resume-from).", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
        {
            throw new CheckpointException($"{optimizerPath}: the optimizer state does not fit this model's parameters ({e.Message}); resume with the model and options the run started with.", e);
        }
        return state;
    }

    // A kill cannot leave a checkpoint half-written (it is renamed into place), but a copy, a full disk or a bad
    // sector can: checked before any byte is loaded, so the message names the file instead of the reader's symptom.
    private static void Verify(string path, FileFingerprint recorded)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path} is missing from the checkpoint. Resume from an older checkpoint (--resume-from).");
        var actual = FileFingerprint.Of(path);
        if (actual.Bytes != recorded.Bytes)
            throw new CheckpointException($"{path} is truncated or damaged: {actual.Bytes} bytes, but the checkpoint recorded {recorded.Bytes}. Resume from an older checkpoint (--resume-from).");
        if (actual.Sha256 != recorded.Sha256)
            throw new CheckpointException($"{path} is damaged: its SHA-256 differs from the one the checkpoint recorded. Resume from an older checkpoint (--resume-from).");
    }

    /// <summary>The checkpoint folders under <paramref name="outputDir"/>, by ascending step.</summary>
    public static IReadOnlyList<(int Step, string Path)> List(string outputDir)
    {
        if (!Directory.Exists(outputDir)) return [];
        var found = new List<(int, string)>();
        foreach (var dir in Directory.GetDirectories(outputDir, Prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(dir).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                && File.Exists(Path.Combine(dir, TrainerState.FileName)))
                found.Add((step, dir));
        }
        return [.. found.OrderBy(c => c.Item1)];
    }

    /// <summary>The newest checkpoint under <paramref name="outputDir"/>, or null (for <c>--resume</c> without a folder).</summary>
    public static string? Latest(string outputDir) => List(outputDir) is [.., var last] ? last.Path : null;

    /// <summary>Deletes all checkpoints but the newest <paramref name="keep"/> and the one at <paramref name="bestStep"/>.</summary>
    public static void Rotate(string outputDir, int keep, int? bestStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var all = List(outputDir);
        for (var i = 0; i < all.Count - keep; i++)
            if (all[i].Step != bestStep) Directory.Delete(all[i].Path, recursive: true);
    }

    private static void LoadWeights(string path, nn.Module model)
    {
        using var file = SafeTensorsFile.Open(path);
        var expected = model.state_dict();
        var unexpected = file.Entries.Select(e => e.Name).Where(n => !expected.ContainsKey(n)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"{path}: tensors {string.Join(", ", unexpected.Take(5))} are not in the model; resume with the model the run started with.");
        using var _ = no_grad();
        foreach (var (name, tensor) in expected)
        {
            if (!file.Contains(name))
                throw new InvalidDataException($"{path}: the model's tensor '{name}' is missing; the checkpoint belongs to another model.");
            using var saved = file.Read(name);
            if (!saved.shape.SequenceEqual(tensor.shape))
                throw new InvalidDataException($"{path}: '{name}' has shape [{string.Join(", ", saved.shape)}] in the checkpoint but [{string.Join(", ", tensor.shape)}] in the model.");
            tensor.copy_(saved);
        }
    }

    private static TorchSharp.Modules.OptimizerHelper AsHelper(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer as TorchSharp.Modules.OptimizerHelper
            ?? throw new ArgumentException($"the optimizer {optimizer.GetType().Name} cannot save its state; use one of TorchSharp's managed optimizers such as AdamW.", nameof(optimizer));
    }
}
