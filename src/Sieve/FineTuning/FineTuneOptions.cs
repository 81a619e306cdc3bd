// Everything one fine-tuning run needs: task and data, where the model comes from (a checkpoint or a config for
// training from scratch), the pattern and kernel, lengths and batch sizes, and the trainer's HF-style options.
using Sieve.Data;
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Specs;
using Sieve.Training;

namespace Sieve.FineTuning;

/// <summary>Options of <see cref="FineTuneJob"/>. Exactly one of <see cref="ModelDirectory"/> and <see cref="ConfigPath"/> is set.</summary>
public sealed record FineTuneOptions
{
    /// <summary>The task (GLUE, ListOps or byte-level text).</summary>
    public required TaskDefinition Task { get; init; }

    /// <summary>The folder with the task's files (train.tsv, dev.tsv, …).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>An HF model directory to start from (its encoder; the classifier head is new unless it fits the task).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>An HF-style config.json to train from scratch (HF initialisation, seeded).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The WordPiece vocab.txt for GLUE tasks; defaults to the model directory's.</summary>
    public string? VocabPath { get; init; }

    /// <summary>
    /// The pattern spec: a fixed pattern, an attention spec with variants, or a learnable pattern (learned_diagonal(…),
    /// aaa(…), learned_degree(…), see LearnableSpec); null keeps the model's saved one, or HF's dense attention.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>
    /// The CoNLL-U dependency parses of the training rows, for <c>syntax(k)</c>: one sentence per text in row order (two
    /// per row for a pair task), see <see cref="TaskParses"/>. Required when the pattern reads a parse; null otherwise.
    /// </summary>
    public string? TrainParses { get; init; }

    /// <summary>The CoNLL-U parses of the dev rows, as <see cref="TrainParses"/>; required with a dev split when the pattern reads a parse.</summary>
    public string? DevParses { get; init; }

    /// <summary>The CoNLL-U parses of MNLI's mismatched dev rows (<c>dev_mismatched.tsv</c>), as <see cref="TrainParses"/>.</summary>
    public string? DevMismatchedParses { get; init; }

    /// <summary>What a row gets whose parse is missing or does not match its text: an error (default), or no arcs.</summary>
    public UnparsedRowPolicy UnparsedRows { get; init; }

    /// <summary>
    /// How a learnable pattern learns: temperature schedule, the logits' own learning rate (no weight decay), initial
    /// logit. Null: <see cref="GumbelOptions"/>' defaults. Only read with a learnable pattern.
    /// </summary>
    public GumbelOptions? PatternLearning { get; init; }

    /// <summary>AAA Eq. 10: train towards a target sparsity with the hinge α·max(0, ρ_target − ρ); needs a learnable pattern.</summary>
    public SparsityLoss? SparsityTarget { get; init; }

    /// <summary>
    /// A fixed pattern spec whose ρ (Eq. 9) on the run's training examples (or dev examples, see
    /// <see cref="MatchSparsityOn"/>), over every layer and head of the model, is the target of
    /// <see cref="SparsityTarget"/> (its <c>Target</c> is then ignored): AAA Table 4's learnable pattern trained "to the
    /// specific sparsity ratio" of the fixed one it is compared with. Measured by the job before training, so it needs
    /// <see cref="SparsityTarget"/> for the rest of the penalty. Null: the target as given.
    /// </summary>
    public string? MatchSparsityOf { get; init; }

    /// <summary>
    /// The split whose examples <see cref="MatchSparsityOf"/> is measured on: <see cref="DataSplit.Train"/> (default), or
    /// <see cref="DataSplit.Dev"/> when the comparison is read on dev and the splits' lengths differ: a fixed window's ρ
    /// grows with length, a learned row/column selector's hardly does, so on SST-2 (short training phrases, whole dev
    /// sentences) a target from the training split leaves the learned pattern at half the fixed one's ρ on dev. Only
    /// the lengths are read, never a label.
    /// </summary>
    public DataSplit MatchSparsityOn { get; init; } = DataSplit.Train;

    /// <summary>
    /// The sublayer order (<c>--sublayers</c>: e.g. <c>sssfsfsfff</c> or <c>sandwich(k=2)</c>) of a model built from
    /// <see cref="ConfigPath"/>, recorded in the saved config.json; null keeps the config's. With <see cref="ModelDirectory"/>
    /// it must be the order the checkpoint was trained with (see <see cref="Modeling.BertSublayers.Apply"/>).
    /// </summary>
    public string? Sublayers { get; init; }

    /// <summary>
    /// Grow the loaded model's position table to this many positions before training, by copying its learned rows
    /// over the longer table (Longformer, Beltagy et al. 2020, §5; see <see cref="Checkpoints.PositionExtension"/>);
    /// the saved model keeps the new size. Null keeps the model's. Needs <c>ModelDirectory</c>.
    /// </summary>
    public int? MaxPositions { get; init; }

    /// <summary>
    /// What the classifier reads (<c>--classifier-pooling</c>): the pooler's [CLS] vector (HF) or the masked mean of the
    /// last hidden state; saved in config.json as <c>classifier_pooling</c>. Null keeps the model's (or config's) own
    /// choice, which is <see cref="Modeling.ClassifierPooling.Cls"/> for HF models.
    /// </summary>
    public Modeling.ClassifierPooling? ClassifierPooling { get; init; }

    /// <summary>The kernel that computes the pattern (the result does not depend on it).</summary>
    public AttentionKernelKind Kernel { get; init; } = AttentionKernelKind.Auto;

    /// <summary>
    /// C of a learnable pattern's training bias (g − 1)·C (default 1e4, BERT's masked score). Its straight-through
    /// gradient is C per gate, which reached 10^12 in a pre-trained MiniLM's encoder; a C of about 10 still hides a
    /// closed gate (e^−10) and keeps the gradients in range. Evaluation always runs the hardened pattern.
    /// </summary>
    public double GateBiasScale
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(GateBiasScale), value, $"--gate-bias-scale must be a positive number, got {value}; 1e4 is BERT's masked score, about 10 suits a pre-trained encoder.");
    } = LearnablePattern.DefaultBiasScale;

    /// <summary>The most tokens per example, [CLS] included (HF's run_glue default is 128).</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>Examples per training micro-batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Batch training examples of similar length (HF's <c>group_by_length</c>: sorted by length within mega-batches of
    /// 50 batches, the batches shuffled), so that padding each batch to its longest example pads little.
    /// </summary>
    public bool GroupByLength { get; init; }

    /// <summary>Save the final model under <c>model/</c> (default true); false keeps it in memory only (the demo's runs).</summary>
    public bool SaveModel { get; init; } = true;

    /// <summary>Examples per evaluation batch.</summary>
    public int EvalBatchSize { get; init; } = 64;

    /// <summary>Train on only the first this many training examples (a subset for quick runs); null uses all.</summary>
    public int? MaxTrainExamples { get; init; }

    /// <summary>Evaluate on only the first this many dev examples; null uses all.</summary>
    public int? MaxEvalExamples { get; init; }

    /// <summary>Skip malformed rows (counted and reported) instead of failing on the first one.</summary>
    public bool SkipMalformedRows { get; init; }

    /// <summary>Continue from the newest checkpoint in the output folder, exactly where it stopped.</summary>
    public bool Resume { get; init; }

    /// <summary>Continue from this checkpoint folder instead of the newest one (implies <see cref="Resume"/>).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The trainer's options (output folder, learning rate, steps, seed, …).</summary>
    public required TrainerOptions Trainer { get; init; }

    /// <summary>
    /// These options training <paramref name="pattern"/> (any form of the one grammar) and, only when it is a learnable
    /// pattern, what shapes its learning: <paramref name="learning"/>, the sparsity penalty <paramref name="target"/>
    /// (its target the ρ of <paramref name="matchSparsityOf"/> on the <paramref name="matchSparsityOn"/> split when given) and <paramref name="gateBiasScale"/>. A fixed
    /// pattern's run keeps the defaults, so that what it records and resumes with does not depend on settings it never
    /// reads. The one place where an experiment cell and a demo run turn a pattern and its learning settings into a run.
    /// </summary>
    public FineTuneOptions WithPattern(string pattern, GumbelOptions? learning, SparsityLoss? target, string? matchSparsityOf, double gateBiasScale,
        DataSplit matchSparsityOn = DataSplit.Train)
    {
        bool learnable = AttentionSpec.Parse(pattern).Learnable is not null;
        return this with
        {
            Pattern = pattern,
            PatternLearning = learnable ? learning : null,
            SparsityTarget = learnable ? target : null,
            MatchSparsityOf = learnable && target is not null ? matchSparsityOf : null,
            MatchSparsityOn = learnable && target is not null && matchSparsityOf is not null ? matchSparsityOn : DataSplit.Train,
            GateBiasScale = learnable ? gateBiasScale : LearnablePattern.DefaultBiasScale,
        };
    }
}
