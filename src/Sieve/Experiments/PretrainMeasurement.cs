// What the masked-LM pre-training phase of a `pretrain: yes` cell measured: steps, the held-out MLM metrics, its own
// wall time. Saved as cell-K/pretrain/pretrain.json, so a rerun that skips the finished phase still reports it.
using System.Text.Json;

namespace Sieve.Experiments;

/// <summary>The pre-training phase of one cell.</summary>
/// <param name="Steps">Optimizer steps of pre-training.</param>
/// <param name="Metrics">The held-out MLM metrics (<c>loss</c>, <c>accuracy</c>, <c>sparsity</c>, …); empty without held-out lines.</param>
/// <param name="Seconds">Wall time of the pre-training loop (of its last run, when it was resumed).</param>
public sealed record PretrainMeasurement(int Steps, IReadOnlyDictionary<string, double> Metrics, double Seconds)
{
    /// <summary>The file in the pre-training folder that records a finished phase.</summary>
    public const string FileName = "pretrain.json";

    /// <summary>Writes the measurement to <see cref="FileName"/> in <paramref name="directory"/> (whole, by a rename).</summary>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, CellResult.Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The measurement saved in <paramref name="directory"/>, or null when there is none (or it is unreadable).</summary>
    public static PretrainMeasurement? Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<PretrainMeasurement>(File.ReadAllText(path), CellResult.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
