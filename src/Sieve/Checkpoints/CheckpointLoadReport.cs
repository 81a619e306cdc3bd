// What loading a checkpoint into a model did with each key: loaded, newly initialised, ignored, missing, unexpected.
namespace Sieve.Checkpoints;

/// <summary>The outcome of loading weights, key by key (model keys, after renaming the checkpoint's).</summary>
public sealed record CheckpointLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> NewlyInitialized,
    IReadOnlyList<string> Ignored,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Renamed)
{
    /// <summary>One paragraph for a log: counts, and the keys of anything not simply loaded.</summary>
    public string Summary()
    {
        var lines = new List<string> { $"loaded {Loaded.Count} tensors" };
        if (Renamed.Count > 0) lines.Add($"renamed {Renamed.Count} old names (LayerNorm gamma/beta, bert. prefix)");
        if (NewlyInitialized.Count > 0) lines.Add($"newly initialised (the checkpoint has no such head; train it): {string.Join(", ", NewlyInitialized)}");
        if (Ignored.Count > 0) lines.Add($"ignored (heads or buffers this model does not have): {string.Join(", ", Ignored)}");
        if (Missing.Count > 0) lines.Add($"missing, kept at initialisation: {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) lines.Add($"unexpected, skipped: {string.Join(", ", Unexpected)}");
        return string.Join("; ", lines) + ".";
    }

    /// <summary>
    /// The one line every command prints after loading <paramref name="source"/> (finetune, pretrain, encode, evaluate):
    /// how many tensors came from it and which weights it lacked, so that none is ever invented silently.
    /// </summary>
    public string Describe(string source) =>
        $"loaded {Loaded.Count} tensors from {source}" +
        (NewlyInitialized.Count > 0 ? $"; newly initialised (not in the checkpoint, random until trained): {string.Join(", ", NewlyInitialized)}" : "");
}
