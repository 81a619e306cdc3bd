// The demo's knobs (`sieve demo` options): the long-range task, the small encoder trained from scratch, the training
// budget and the patterns compared. The defaults finish within 10 minutes on 2 cores.
using Sieve.Data.Needle;
using Sieve.Learnable;
using Sieve.Variants;

namespace Sieve.Demo;

/// <summary>Options of <see cref="DemoRunner"/>.</summary>
public sealed record DemoOptions
{
    /// <summary>The patterns compared, as specs: AAA Table 2's local-only and local+global rows, dense, and BigBird.</summary>
    public IReadOnlyList<string> Patterns { get; init; } = ["full", "local(2)", "local(2)+global(1)", "bigbird(1,2,1,seed=0)"];

    /// <summary>The task: lengths 100–200, four needle classes, the needle at least 32 tokens from [CLS].</summary>
    public NeedleTaskOptions Task { get; init; } = new() { MinLength = 100, MaxLength = 200, MinDistance = 32 };

    /// <summary>Training examples (generated once, the same for every pattern and seed).</summary>
    public int TrainExamples { get; init; } = 2000;

    /// <summary>Held-out examples the accuracy is measured on.</summary>
    public int DevExamples { get; init; } = 400;

    /// <summary>Model seeds per pattern; the spread over seeds is reported next to the mean.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2];

    /// <summary>Optimizer steps per training run.</summary>
    public int Steps { get; init; } = 600;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate (linear warm-up over the first 10 % of steps, then linear decay).</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Hidden size of the encoder.</summary>
    public int HiddenSize { get; init; } = 32;

    /// <summary>Encoder layers: with local(2) alone, [CLS] then sees only 2·Layers positions.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Attention heads per layer.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>The sublayer order of every model (<c>--sublayers</c>, e.g. <c>sssfff</c> or <c>sandwich(k=1)</c>); null is HF's interleaved order.</summary>
    public string? Sublayers { get; init; }

    /// <summary>
    /// How the learnable patterns among <see cref="Patterns"/> learn; the default raises the logits' learning rate to 0.1
    /// (GumbelOptions' 1e-2 moves them too little in a few hundred steps).
    /// </summary>
    public GumbelOptions PatternLearning { get; init; } = new() { LearningRate = 0.1 };

    /// <summary>AAA Eq. 10's target for the learnable patterns among <see cref="Patterns"/>; null trains them for the task alone.</summary>
    public SparsityLoss? SparsityTarget { get; init; }

    /// <summary>The seed of the generated data (train and dev).</summary>
    public int DataSeed { get; init; } = 7;

    /// <summary>Throws with the offending option when the demo cannot run as asked.</summary>
    public void Validate()
    {
        Task.Validate();
        if (Patterns.Count == 0) throw new ArgumentException("the demo needs at least one pattern to train.", nameof(Patterns));
        if (Seeds.Count == 0) throw new ArgumentException("the demo needs at least one seed.", nameof(Seeds));
        ArgumentOutOfRangeException.ThrowIfLessThan(TrainExamples, BatchSize, nameof(TrainExamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(DevExamples, 1, nameof(DevExamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1, nameof(Steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Heads, 1, nameof(Heads));
        if (HiddenSize % Heads != 0)
            throw new ArgumentException($"the hidden size {HiddenSize} must be a multiple of the head count {Heads}.", nameof(HiddenSize));
        if (Sublayers is not null) SublayerOrder.ForLayers(Sublayers, Layers);
    }
}
