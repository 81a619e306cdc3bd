// The knobs of the default demo (`sieve demo`): the pre-trained encoder fine-tuned on the bundled SST-2 sample under
// dense, local + global, BigBird and AAA attention. The defaults aim at 10 minutes on 2 cores for 4 patterns × 2 seeds.
using Sieve.Learnable;
using Sieve.Modeling;

namespace Sieve.Demo;

/// <summary>Options of <see cref="FineTuneDemoRunner"/>.</summary>
public sealed record FineTuneDemoOptions
{
    /// <summary>The pre-trained model: an HF folder (the CLI resolves a built-in name such as minilm to its cached folder).</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>The model's name as shown in the report.</summary>
    public string ModelName { get; init; } = "minilm";

    /// <summary>
    /// The patterns compared: dense, AAA Table 1's Local₂+Global₂ and Local₂+Global₁+Random₁ (BigBird's three parts), and
    /// AAA itself, which learns its rows and columns towards the ρ of <see cref="MatchSparsityOf"/>.
    /// </summary>
    public IReadOnlyList<string> Patterns { get; init; } = ["full", "local(2)+global(2)", "bigbird(1,2,1,seed=0)", "aaa(local=2)"];

    /// <summary>
    /// The fixed pattern whose ρ (Eq. 9) the learnable patterns are trained towards, measured on the dev sentences the table
    /// is read on: SST-2's training phrases are much shorter, and there a window's ρ is half of what it is on dev.
    /// </summary>
    public string MatchSparsityOf { get; init; } = "local(2)+global(2)";

    /// <summary>The ρ the learnable patterns train towards; null (default) matches <see cref="MatchSparsityOf"/>.</summary>
    public double? TargetSparsity { get; init; }

    /// <summary>Seeds per pattern (model head, dropout, data order); the spread over seeds is reported.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2];

    /// <summary>Training sentences, the first ones of the bundled sample (at most <see cref="Sst2Sample.TrainRows"/>).</summary>
    public int TrainExamples { get; init; } = 2000;

    /// <summary>Dev sentences evaluated on (the first ones; at most <see cref="Sst2Sample.DevRows"/>, the full dev set).</summary>
    public int DevExamples { get; init; } = Sst2Sample.DevRows;

    /// <summary>Epochs over the training sentences.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate (10 % linear warm-up, then linear decay): higher than GLUE's 2e-5–5e-5 for a short run.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Tokens per sentence, [CLS] and [SEP] included: the bundled sentences have at most 57, so none is cut.</summary>
    public int MaxLength { get; init; } = 64;

    /// <summary>
    /// What the classifier reads. The mean over real tokens is the built-in MiniLM's documented sentence embedding, so
    /// the pre-trained features need no new pooler; it also keeps local-only patterns from being judged on [CLS] alone.
    /// </summary>
    public ClassifierPooling Pooling { get; init; } = ClassifierPooling.Mean;

    /// <summary>How learnable patterns learn: a pattern learning rate of 0.1, since a demo run has only a few dozen steps.</summary>
    public GumbelOptions PatternLearning { get; init; } = new() { LearningRate = 0.1 };

    /// <summary>C of a learnable pattern's training bias (g − 1)·C; see <see cref="FineTuning.FineTuneOptions.GateBiasScale"/>.</summary>
    public double GateBiasScale { get; init; } = 10;

    /// <summary>AAA Eq. 10's penalty for learnable patterns; its target is set to the ρ of <see cref="MatchSparsityOf"/>.</summary>
    public SparsityLoss Penalty { get; init; } = new() { Target = 0.5, Alpha = 2, Penalty = SparsityPenalty.TwoSided };

    /// <summary>Throws with the offending option when the demo cannot run as asked.</summary>
    public void Validate()
    {
        if (Patterns.Count == 0) throw new ArgumentException("the demo needs at least one pattern to train.", nameof(Patterns));
        if (Seeds.Count == 0) throw new ArgumentException("the demo needs at least one seed.", nameof(Seeds));
        if (TrainExamples < BatchSize || TrainExamples > Sst2Sample.TrainRows)
            throw new ArgumentOutOfRangeException(nameof(TrainExamples), TrainExamples, $"the bundled sample holds {Sst2Sample.TrainRows} training sentences; use {BatchSize} (one batch) to {Sst2Sample.TrainRows}.");
        if (DevExamples < 1 || DevExamples > Sst2Sample.DevRows)
            throw new ArgumentOutOfRangeException(nameof(DevExamples), DevExamples, $"the SST-2 dev set has {Sst2Sample.DevRows} sentences; use 1 to {Sst2Sample.DevRows}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, 3, nameof(MaxLength));
        // Checked here, before any run trains, rather than by the first learnable run's job.
        if (TargetSparsity is null) FineTuning.TrainingSparsity.PatternOf(MatchSparsityOf);
    }
}
