// The settings of a run that change its result, as name → text, for RunFolder to record and compare on resume.
// Left out on purpose: the output folder, the checkpoint and logging cadence, TensorBoard and the kernel (none of them
// changes the weights). Files are recorded by content (length and SHA-256), so an edited data file is caught too.
using System.Globalization;

namespace Sieve.Training;

/// <summary>Builds the settings dictionary of a run.</summary>
public sealed class RunSettings
{
    private readonly SortedDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>A builder that starts with the trainer's settings.</summary>
    public static RunSettings Of(TrainerOptions trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return new RunSettings()
            .Add("learning_rate", trainer.LearningRate)
            .Add("adam_beta1", trainer.Beta1)
            .Add("adam_beta2", trainer.Beta2)
            .Add("adam_epsilon", trainer.Epsilon)
            .Add("weight_decay", trainer.WeightDecay)
            .Add("warmup_ratio", trainer.WarmupRatio)
            .Add("warmup_steps", trainer.WarmupSteps)
            .Add("max_grad_norm", trainer.MaxGradNorm)
            .Add("gradient_accumulation_steps", trainer.GradientAccumulationSteps)
            .Add("epochs", trainer.Epochs)
            .Add("max_steps", trainer.MaxSteps)
            .Add("eval_steps", trainer.EvalSteps)
            .Add("metric_for_best_model", trainer.MetricForBestModel)
            .Add("greater_is_better", trainer.ResolvedGreaterIsBetter)
            .Add("seed", trainer.Seed);
    }

    /// <summary>Adds a value; null is recorded as "none".</summary>
    public RunSettings Add(string name, object? value)
    {
        _values[name] = value switch
        {
            null => "none",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "none",
        };
        return this;
    }

    /// <summary>Adds a file by its full path and content; null or a missing file is recorded as "none".</summary>
    public RunSettings AddFile(string name, string? path) =>
        Add(name, path is not null && File.Exists(path) ? $"{Path.GetFullPath(path)} ({FileFingerprint.Of(path)})" : null);

    /// <summary>Adds a model folder by its full path and the content of its config.json and safetensors files.</summary>
    public RunSettings AddModelDirectory(string name, string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return Add(name, directory);
        var files = Directory.GetFiles(directory)
            .Where(f => Path.GetFileName(f) == "config.json" || f.EndsWith(".safetensors", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)} ({FileFingerprint.Of(f)})");
        return Add(name, $"{Path.GetFullPath(directory)}: {string.Join("; ", files)}");
    }

    /// <summary>The settings, sorted by name.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>(_values, StringComparer.Ordinal);
}
