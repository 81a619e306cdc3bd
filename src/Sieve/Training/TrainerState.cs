// trainer_state.json of a checkpoint (the counterpart of HF's trainer_state.json): where the run stands and the facts a
// resume must agree with. No random state is stored: the data order derives from (seed, epoch) and every step's
// dropout draw from (seed, step), so the step alone fixes them.
using System.Text.Json;
using System.Text.Json.Serialization;
using Sieve.Checkpoints;

namespace Sieve.Training;

/// <summary>The trainer's state at a checkpoint.</summary>
public sealed record TrainerState
{
    /// <summary>The file name inside a checkpoint folder.</summary>
    public const string FileName = "trainer_state.json";

    private static readonly JsonSerializerOptions _json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Optimizer steps done.</summary>
    public int GlobalStep { get; init; }

    /// <summary>The epoch the next step reads from.</summary>
    public int Epoch { get; init; }

    /// <summary>The index, within <see cref="Epoch"/>, of the next micro-batch to read.</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Optimizer steps of the whole run (the schedule depends on it).</summary>
    public int MaxSteps { get; init; }

    /// <summary>Batches per epoch of the batch source.</summary>
    public int BatchesPerEpoch { get; init; }

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; }

    /// <summary>The run's seed.</summary>
    public int Seed { get; init; }

    /// <summary>The mean loss of the last step.</summary>
    public double? LastLoss { get; init; }

    /// <summary>The metric that picks the best checkpoint.</summary>
    public string? MetricForBestModel { get; init; }

    /// <summary>The best value of that metric so far.</summary>
    public double? BestMetric { get; init; }

    /// <summary>The global step of the best checkpoint so far.</summary>
    public int? BestStep { get; init; }

    /// <summary>
    /// The length and SHA-256 of the checkpoint's other files (weights, optimizer state), so that a truncated or damaged
    /// one is named on resume; null in checkpoints written before they were recorded.
    /// </summary>
    public IReadOnlyDictionary<string, FileFingerprint>? Files { get; init; }

    /// <summary>How the random state is reproduced (documentation for a reader of the file).</summary>
    public string RandomState { get; init; } = "derived: data order from (seed, epoch), dropout from (seed, step)";

    /// <summary>Writes the state as JSON to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, _json));

    /// <summary>Reads a state written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointException">The file is missing, not valid JSON, or holds impossible values.</exception>
    public static TrainerState Load(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"{path}: no trainer state; is this a checkpoint folder written by the trainer?");
        TrainerState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), _json);
        }
        catch (JsonException e)
        {
            throw Damaged(path, $"not valid JSON ({e.Message})", e);
        }
        if (state is null) throw Damaged(path, "empty");
        // A file cut short can still parse (an empty object): defaults that no run writes show the damage.
        if (state.MaxSteps < 1 || state.BatchesPerEpoch < 1 || state.GradientAccumulationSteps < 1 || state.GlobalStep < 0 || state.GlobalStep > state.MaxSteps)
            throw Damaged(path, $"impossible (step {state.GlobalStep} of {state.MaxSteps}, {state.BatchesPerEpoch} batches per epoch, accumulation {state.GradientAccumulationSteps})");
        return state;
    }

    private static CheckpointException Damaged(string path, string what, Exception? inner = null) =>
        new($"{path}: the trainer state is {what}; the checkpoint is damaged. Resume from an older checkpoint (--resume-from), or start a new run.", inner!);
}
