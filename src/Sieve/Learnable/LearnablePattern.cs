// The seam of a learnable attention pattern (DESIGN.md §1): a TorchSharp module that yields gates in [0, 1] for the
// dense-capable kernels while it trains, and hardens into an ordinary Sieve.Patterns.Pattern for the sparse kernels.
using Sieve.Kernels;
using Sieve.Patterns;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// A learnable pattern. <see cref="Gates"/> gives [B, H or 1, N, N] in [0, 1]: in training straight-through 0/1 (or
/// soft, <see cref="GateMode"/>), in evaluation deterministic thresholds; padding rows and keys are always 0, and a real
/// row whose gates are all 0 gets its diagonal (as <see cref="EmptyRowPolicy.AddDiagonal"/> does for the hardened
/// layout). The gates are OR-ed with the optional fixed part, an ordinary pattern. <see cref="GateBias"/> turns gates
/// into the kernels' additive bias; <see cref="Harden"/> gives the pattern equal to the evaluation gates.
/// </summary>
public abstract class LearnablePattern : nn.Module
{
    /// <summary>The default C of <see cref="GateBias"/>: BERT's −10000 for a masked score (METHODS.md §1.1).</summary>
    public const double DefaultBiasScale = 1e4;

    protected LearnablePattern(string name, GumbelOptions options, Pattern? fixedPart) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        FixedPart = fixedPart;
    }

    /// <summary>The relaxation's options: temperature schedule, noise, gate mode, initial logit, learning rate.</summary>
    public GumbelOptions Options { get; }

    /// <summary>The ordinary pattern OR-ed with the learned gates (e.g. global(1)), or null.</summary>
    public Pattern? FixedPart { get; }

    /// <summary>The training step, set by the trainer each step; it picks the temperature of the schedule.</summary>
    public long Step { get; set; }

    /// <summary>τ at the current <see cref="Step"/>.</summary>
    public double Temperature => Options.TemperatureAt(Step);

    /// <summary>The source of the Gumbel noise; null draws from TorchSharp's global generator. Tests fix it.</summary>
    public Generator? NoiseGenerator { get; set; }

    /// <summary>Whether the hard pattern depends on the input (AAA); then use the pattern's own per-input hardening.</summary>
    public virtual bool IsInputDependent => false;

    /// <summary>
    /// The gates of layer <paramref name="layer"/> for a batch with real <paramref name="lengths"/> padded to
    /// <paramref name="paddedLength"/>: [B, H or 1, N, N] in [0, 1]. <paramref name="hidden"/> is the layer's input
    /// [B, N, Hd]; patterns that do not depend on the input ignore it (it may then be null).
    /// </summary>
    public abstract Tensor Gates(Tensor? hidden, int[] lengths, int paddedLength, int layer);

    /// <summary>
    /// ρ of Eq. 9 of the gates of <paramref name="layers"/> layers for one example of each real length in
    /// <paramref name="lengths"/> (a differentiable scalar, as <see cref="SparsityLoss.Mean"/> gives for a batch): the
    /// penalty's ρ at lengths other than the training batch's, e.g. a dev split whose sentences are longer. Only a pattern
    /// that does not depend on the input has gates without its input.
    /// </summary>
    public Tensor SparsityAt(IReadOnlyList<int> lengths, int layers)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (IsInputDependent)
            throw new InvalidOperationException("this pattern's gates depend on the layer's input; its ρ is measured on the batch it runs on.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        int[] real = [.. lengths];
        int padded = real.Length == 0 ? 0 : real.Max();
        using var scope = NewDisposeScope();
        var perLayer = Enumerable.Range(0, layers).Select(layer => SparsityLoss.PerHead(Gates(null, real, padded, layer), real)).ToArray(); // L × [H|1]
        return SparsityLoss.Mean(perLayer).MoveToOuterDisposeScope();                                    // []
    }

    /// <summary>The ordinary pattern equal to the evaluation-mode gates at every layer and head (a schedule where they differ).</summary>
    public abstract Pattern Harden();

    /// <summary>
    /// The parameters of the pattern (logits, AAA's linear maps) that train: the trainer gives them their own optimizer
    /// group with <see cref="GumbelOptions.LearningRate"/> and no weight decay. Frozen ones are left out.
    /// </summary>
    public IEnumerable<Parameter> PatternParameters() => parameters().Where(p => p.requires_grad);

    /// <summary>
    /// The additive score bias of <paramref name="gates"/>: (g − 1)·C. Exactly 0 where g = 1 and exactly −C where g = 0
    /// (C = 1e4 by default, BERT's masked-score constant), and linear in g, so the straight-through gradient reaches
    /// the gates unchanged up to the factor C (log g would give −∞ and NaN gradients at 0). Where g = 0 the softmax
    /// weight is 0 and so is the task gradient, as in SparseBERT: dropped entries come back through the noise and the
    /// sparsity hinge, not through the task loss. The kernel's layout still masks padding.
    /// </summary>
    public static Tensor GateBias(Tensor gates, double scale = DefaultBiasScale)
    {
        ArgumentNullException.ThrowIfNull(gates);
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the bias scale C must be a positive number.");
        return gates.sub(Scalars.One).Times(scale);                                                 // [B, H|1, N, N]
    }

    /// <summary>Binary gates of keep logits under the module's mode, temperature and noise; thresholds in evaluation.</summary>
    protected Tensor BinaryGates(Tensor logits, bool frozen = false) =>
        training && !frozen
            ? GumbelGates.Binary(logits, Temperature, Options.Mode, Options.Noise, NoiseGenerator, Options.NoiseScaleAt(Step))
            : GumbelGates.BinaryThreshold(logits);

    /// <summary>One-hot categorical gates over the last dimension; argmax in evaluation.</summary>
    protected Tensor CategoricalGates(Tensor logits) =>
        training
            ? GumbelGates.Categorical(logits, Temperature, Options.Mode, Options.Noise, NoiseGenerator, Options.NoiseScaleAt(Step))
            : GumbelGates.CategoricalArgmax(logits);

    /// <summary>
    /// The last step shared by every pattern: OR with the fixed part (a + f − a·f, the soft OR of AAA Eq. 12), zero
    /// outside the real N_i × N_i block, and the diagonal for a real row left without any gate.
    /// </summary>
    protected Tensor Finish(Tensor learned, int[] lengths, int paddedLength, int layer)
    {
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(lengths);
        using var scope = NewDisposeScope();
        var real = TokenMask(lengths, paddedLength, learned.dtype, learned.device);       // [B, N]
        var valid = real.unsqueeze(2).mul(real.unsqueeze(1)).unsqueeze(1);               // [B, 1, N, N]
        var gates = learned;                                                              // [B|1, H|1, N, N]
        if (FixedPart is not null)
        {
            var fixedMask = FixedMask(FixedPart, lengths, paddedLength, layer, learned.dtype, learned.device); // [B, 1, N, N]
            gates = gates.add(fixedMask, Scalars.One).sub(gates.mul(fixedMask));                           // [B, H|1, N, N]
        }
        gates = gates.mul(valid);                                                         // [B, H|1, N, N]
        var rowEmpty = gates.detach().sum(-1, keepdim: true).eq(Scalars.Zero)                            // [B, H|1, N, 1]
            .logical_and(real.unsqueeze(1).unsqueeze(-1).to(ScalarType.Bool));            // real rows only
        var diagonal = eye(paddedLength, dtype: learned.dtype, device: learned.device);  // [N, N]
        gates = gates.add(rowEmpty.to(learned.dtype).mul(diagonal), Scalars.One);                              // [B, H|1, N, N]
        return gates.MoveToOuterDisposeScope();
    }

    /// <summary>1 inside each example's real N_i × N_i block, 0 on padding rows and keys: [B, 1, N, N].</summary>
    protected internal static Tensor ValidMask(int[] lengths, int paddedLength, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var real = TokenMask(lengths, paddedLength, dtype, device);                       // [B, N]
        var mask = real.unsqueeze(2).mul(real.unsqueeze(1)).unsqueeze(1);                // [B, 1, N, N]
        return mask.MoveToOuterDisposeScope();
    }

    /// <summary>1 on padding-free tokens: [B, N].</summary>
    protected static Tensor TokenMask(int[] lengths, int paddedLength, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        CheckLengths(lengths, paddedLength);
        using var scope = NewDisposeScope();
        var positions = arange(Scalars.Of(0), Scalars.Of(paddedLength), Scalars.Of(1), device: device);   // [N]
        var limit = tensor(lengths.Select(n => (long)n).ToArray(), device: device);       // [B]
        return positions.unsqueeze(0).lt(limit.unsqueeze(1)).to(dtype).MoveToOuterDisposeScope(); // [B, N]
    }

    /// <summary>|i − j| for every (i, j) of the padded length: [N, N] int64.</summary>
    protected static Tensor Distances(int paddedLength, Device device)
    {
        using var scope = NewDisposeScope();
        var positions = arange(Scalars.Of(0), Scalars.Of(paddedLength), Scalars.Of(1), device: device);   // [N]
        return positions.unsqueeze(1).sub(positions.unsqueeze(0)).abs().MoveToOuterDisposeScope(); // [N, N]
    }

    /// <summary>The dense 0/1 mask of an ordinary pattern at <paramref name="layer"/> (head 0): [B, 1, N, N].</summary>
    protected static Tensor FixedMask(Pattern pattern, int[] lengths, int paddedLength, int layer, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(lengths);
        var maps = new CsrLayout[lengths.Length];
        for (int b = 0; b < lengths.Length; b++)
            maps[b] = CsrLayout.Build(pattern, new PatternContext(lengths[b]) { PaddedLength = paddedLength, Example = b, Layer = layer }, EmptyRowPolicy.Keep);
        using var mask = new AttentionLayout(maps, lengths.Length).DenseMask(device);     // [B, 1, N, N] bool
        return mask.to(dtype);                                                           // [B, 1, N, N]
    }

    /// <summary>The hardened pattern of a head: the learned part OR the fixed part; an empty learned part leaves the fixed part.</summary>
    protected Pattern WithFixed(Pattern? learned) => (learned, FixedPart) switch
    {
        (null, null) => new AxisPattern([], []),
        (null, { } f) => f,
        ({ } l, null) => l,
        ({ } l, { } f) => l + f,
    };

    /// <summary>
    /// A heads(...) schedule over per-head patterns, runs of equal patterns merged into ranges; a single pattern when
    /// all heads agree. The same helper builds layers(...) schedules.
    /// </summary>
    protected static Pattern Schedule(ScheduleAxis axis, IReadOnlyList<Pattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.All(p => p.Equals(patterns[0]))) return patterns[0];
        var entries = new List<ScheduleEntry>();
        int first = 0;
        for (int m = 1; m <= patterns.Count; m++)
        {
            if (m < patterns.Count && patterns[m].Equals(patterns[first])) continue;
            entries.Add(new ScheduleEntry(first, m - 1, patterns[first]));
            first = m;
        }
        return new SchedulePattern(axis, entries);
    }

    private static void CheckLengths(int[] lengths, int paddedLength)
    {
        if (lengths.Length == 0) throw new ArgumentException("a batch needs at least one length.", nameof(lengths));
        foreach (int n in lengths)
        {
            if (n < 0 || n > paddedLength)
                throw new ArgumentOutOfRangeException(nameof(lengths), n, $"every real length must lie in [0, {paddedLength}] (the padded length), got {n}.");
        }
    }
}
