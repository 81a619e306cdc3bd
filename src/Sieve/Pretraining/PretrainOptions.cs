// Everything one masked-LM pre-training run needs: the corpus (one line per example) and its held-out share, where
// the model comes from (a checkpoint or a config for training from scratch), the pattern and kernel, the masking, and
// the trainer's HF-style options.
using Sieve.Kernels;
using Sieve.Training;

namespace Sieve.Pretraining;

/// <summary>Options of <see cref="PretrainJob"/>. Exactly one of <see cref="ModelDirectory"/> and <see cref="ConfigPath"/> is set.</summary>
public sealed record PretrainOptions
{
    /// <summary>The raw-text corpus: one document or sentence per line; blank lines are skipped.</summary>
    public required string DataPath { get; init; }

    /// <summary>A separate held-out corpus; when null, <see cref="ValidationShare"/> of the corpus is held out.</summary>
    public string? ValidationPath { get; init; }

    /// <summary>
    /// The share of corpus lines held out for evaluation when no <see cref="ValidationPath"/> is given (default 0.05):
    /// the first ⌈share × lines⌉ lines, as HF run_mlm's train[:5%] split; 0 turns evaluation off.
    /// </summary>
    public double ValidationShare
    {
        get;
        init
        {
            if (!double.IsFinite(value) || value < 0 || value >= 1)
                throw new ArgumentOutOfRangeException(nameof(ValidationShare), value, $"the validation share must be in [0, 1), got {value}; 0.05 holds out 5% of the lines, 0 evaluates nothing.");
            field = value;
        }
    } = 0.05;

    /// <summary>An HF model directory to continue pre-training from (its MLM head is used when it has one).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>An HF-style config.json to pre-train from scratch (HF initialisation, seeded).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The WordPiece vocab.txt; defaults to the model directory's.</summary>
    public string? VocabPath { get; init; }

    /// <summary>The attention spec: a pattern, an attention variant or a schedule of both (docs/VARIANTS.md); null keeps the model's saved attention, or HF's dense attention.</summary>
    public string? Pattern { get; init; }

    /// <summary>
    /// The sublayer order (<c>--sublayers</c>: e.g. <c>sssfsfsfff</c> or <c>sandwich(k=2)</c>) of a model built from
    /// <see cref="ConfigPath"/>, recorded in the saved config.json; null keeps the config's. With <see cref="ModelDirectory"/>
    /// it must be the order the checkpoint was trained with (see <see cref="Modeling.BertSublayers.Apply"/>).
    /// </summary>
    public string? Sublayers { get; init; }

    /// <summary>The kernel that computes the pattern (the result does not depend on it).</summary>
    public AttentionKernelKind Kernel { get; init; } = AttentionKernelKind.Auto;

    /// <summary>
    /// Grow the loaded model's position table to this many positions before training, by copying its learned rows
    /// over the longer table (Longformer, Beltagy et al. 2020, §5; see <see cref="Checkpoints.PositionExtension"/>);
    /// the saved model keeps the new size. Null keeps the model's. Needs <c>ModelDirectory</c>.
    /// </summary>
    public int? MaxPositions { get; init; }

    /// <summary>The most tokens per line, [CLS] and [SEP] included; longer lines are truncated (HF run_mlm's max_seq_length).</summary>
    public int MaxLength
    {
        get;
        init
        {
            if (value < 3)
                throw new ArgumentOutOfRangeException(nameof(MaxLength), value, $"the maximum length must be at least 3 ([CLS], a token, [SEP]), got {value}; 128 is BERT's phase-1 length.");
            field = value;
        }
    } = 128;

    /// <summary>Lines per training micro-batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Lines per evaluation batch.</summary>
    public int EvalBatchSize { get; init; } = 64;

    /// <summary>Train on only the first this many training lines (after the held-out share); null uses all.</summary>
    public int? MaxTrainLines { get; init; }

    /// <summary>How tokens are chosen and replaced (BERT's 15%, 80/10/10 by default).</summary>
    public MlmMaskingOptions Masking { get; init; } = MlmMaskingOptions.Default;

    /// <summary>Continue from the newest checkpoint in the output folder, exactly where it stopped.</summary>
    public bool Resume { get; init; }

    /// <summary>Continue from this checkpoint folder instead of the newest one (implies <see cref="Resume"/>).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The trainer's options (output folder, learning rate, steps, seed, …).</summary>
    public required TrainerOptions Trainer { get; init; }
}
