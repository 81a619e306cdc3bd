// SparseBERT's Differentiable Attention Mask, structured variant DAM_s (Shi et al. 2021; METHODS.md §3.3, §4.3): one keep
// logit per head and offset |i − j|, hard Gumbel-sigmoid with straight-through gradients, a Toeplitz mask per head.
using Sieve.Patterns;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// The learned diagonal: gate M_h[i, j] = m_{h,|i−j|} for |i − j| ≤ max_offset (0 beyond), OR-ed with the fixed part
/// (AAA pairs it with global(1)). One logit per offset is SparseBERT's (keep, drop) pair reduced to its difference, which
/// is exact: the difference of two Gumbels is logistic noise. Parameter <c>logits</c>: [S, H, max_offset + 1], S = the
/// number of layers for <see cref="DiagonalLevel.TaskAndLayer"/>, else 1. Hardening keeps offset o iff its logit &gt; 0.
/// </summary>
public sealed class LearnedDiagonalPattern : LearnablePattern
{
    public LearnedDiagonalPattern(int layers, int heads, int maxOffset = 128, DiagonalLevel level = DiagonalLevel.TaskAndLayer,
        Pattern? fixedPart = null, GumbelOptions? options = null, Device? device = null, ScalarType? dtype = null)
        : base(nameof(LearnedDiagonalPattern), options ?? new GumbelOptions(), fixedPart)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(maxOffset);
        Layers = layers;
        Heads = heads;
        MaxOffset = maxOffset;
        Level = level;
        int sets = level == DiagonalLevel.TaskAndLayer ? layers : 1;
        var initial = Scalars.Full([sets, heads, maxOffset + 1], Options.InitialLogit, dtype, device); // [S, H, O+1]
        register_parameter("logits", nn.Parameter(initial, requires_grad: level != DiagonalLevel.Fixed));
    }

    /// <summary>The number of layers the pattern serves.</summary>
    public int Layers { get; }

    /// <summary>H, the heads of every layer.</summary>
    public int Heads { get; }

    /// <summary>The largest offset that can be kept; offsets beyond it are always dropped.</summary>
    public int MaxOffset { get; }

    /// <summary>Fixed, task or task+layer adaptiveness.</summary>
    public DiagonalLevel Level { get; }

    /// <summary>The keep logits [S, H, max_offset + 1].</summary>
    public Parameter Logits => get_parameter("logits")!;

    /// <summary>Gates [B, H, N, N]; <paramref name="hidden"/> is ignored.</summary>
    public override Tensor Gates(Tensor? hidden, int[] lengths, int paddedLength, int layer)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        CheckLayer(layer);
        using var scope = NewDisposeScope();
        var logits = Logits[Set(layer)];                                                   // [H, O+1]
        var keep = BinaryGates(logits, frozen: Level == DiagonalLevel.Fixed);               // [H, O+1]
        var distance = Distances(paddedLength, logits.device);                              // [N, N]
        var inBand = distance.le(Scalars.Of(MaxOffset)).to(logits.dtype);                                   // [N, N]
        var index = distance.clamp_max(Scalars.Of(MaxOffset)).flatten();                                   // [N·N]
        var toeplitz = keep.index_select(1, index).view(Heads, paddedLength, paddedLength); // [H, N, N]
        var learned = toeplitz.mul(inBand).unsqueeze(0);                                    // [1, H, N, N]
        return Finish(learned, lengths, paddedLength, layer).MoveToOuterDisposeScope();     // [B, H, N, N]
    }

    /// <summary>
    /// diagonal(kept offsets) + the fixed part per head, as a heads(...) schedule where heads differ, inside a
    /// layers(...) schedule for task+layer where layers differ.
    /// </summary>
    public override Pattern Harden()
    {
        var offsets = LearnedOffsets();
        var byLayer = new List<Pattern>();
        foreach (var group in offsets.GroupBy(o => o.Layer))
        {
            var heads = group.OrderBy(o => o.Head)
                .Select(o => WithFixed(o.Offsets.Count == 0 ? null : new DiagonalPattern(o.Offsets)))
                .ToArray();
            byLayer.Add(Schedule(ScheduleAxis.Heads, heads));
        }
        return Schedule(ScheduleAxis.Layers, byLayer);
    }

    /// <summary>The offsets each head keeps in evaluation, per layer for task+layer (Layer null when shared).</summary>
    public IReadOnlyList<LearnedOffsets> LearnedOffsets()
    {
        using var scope = NewDisposeScope();
        var keep = GumbelGates.BinaryThreshold(Logits).to(ScalarType.Float64).cpu();       // [S, H, O+1]
        double[] values = keep.data<double>().ToArray();
        var result = new List<LearnedOffsets>();
        int sets = (int)keep.shape[0];
        for (int s = 0; s < sets; s++)
        {
            for (int h = 0; h < Heads; h++)
            {
                int start = ((s * Heads) + h) * (MaxOffset + 1);
                int[] kept = [.. Enumerable.Range(0, MaxOffset + 1).Where(o => values[start + o] == 1.0)];
                result.Add(new LearnedOffsets(Level == DiagonalLevel.TaskAndLayer ? s : null, h, kept));
            }
        }
        return result;
    }

    private int Set(int layer) => Level == DiagonalLevel.TaskAndLayer ? layer : 0;

    private void CheckLayer(int layer)
    {
        if (layer < 0 || layer >= Layers)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"this learned diagonal serves layers 0..{Layers - 1}, got layer {layer}.");
    }

    // The parameter is registered by hand under the name "logits" and always looked up by it (module.to(...) replaces
    // it); nothing else belongs in the state dict.
    protected override void RegisterComponents()
    {
    }
}
