// How every layer attends for one batch (issue 17): built once per batch from what the model attends with, it gives each
// layer its LayerPlan — a layout on a kernel, a learnable pattern's gates as a bias, or the layer's variant — and
// collects what the forward hands out (layouts, ρ of the gates, AAA's selections) in an AttentionOutcome.
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// The attention of one batch. <see cref="For"/> answers layer by layer, given the layer's input, because an AAA
/// pattern reads it; <see cref="Finish"/> returns the outcome once the encoder has run. A layer with an attention
/// variant always runs it; the other layers run HF's dense attention (no pattern), the fixed pattern's layouts on the
/// model's kernel, or the learnable pattern (training: gates as a bias over the real tokens on Reference or Sdpa;
/// evaluation: the hardened pattern, per input for AAA, on the model's kernel). Disposing it frees the per-layer ρ of a
/// forward that failed before <see cref="Finish"/>.
/// </summary>
public sealed class AttentionPlan : IDisposable
{
    private readonly BertModel _model;
    private readonly PatternContext[]? _contexts;
    private readonly Tensor _keyPadding;
    private readonly Func<int, Tensor, LayerPlan> _patternLayer;
    private readonly List<Tensor> _layerSparsity = [];
    private readonly AttentionLayout[] _layouts;
    private readonly string[] _specs;
    private readonly AxisSelection[] _selections;
    private readonly BatchLayouts? _batchLayouts;

    private AttentionPlan(BertModel model, Tensor embedded, Tensor attentionMask, IReadOnlyList<PatternContext>? patternInputs, Tensor? inputIds)
    {
        _model = model;
        int layers = model.Config.NumHiddenLayers;
        _layouts = new AttentionLayout[layers];
        _specs = new string[layers];
        _selections = new AxisSelection[layers];
        _keyPadding = attentionMask.to_type(ScalarType.Bool);                                         // [B, N]
        var settings = model.Attention;
        if (model.Learned is null && settings.Pattern is null)
        {
            var mask = BertFunctions.ExtendedAttentionMask(attentionMask, embedded.dtype);         // [B, 1, 1, N]
            _patternLayer = (_, _) => LayerPlan.Dense(mask);
            return;
        }
        _contexts = PatternContexts(attentionMask, patternInputs);
        if (model.Learned is { } learned && model.training)
        {
            _patternLayer = TrainingGates(learned, (int)embedded.shape[1]);
        }
        else if (model.Learned is AxisAttentionPattern axis)
        {
            _patternLayer = HardenedPerInput(axis);
        }
        else
        {
            // The fixed (or hardened) pattern's layouts, built once for the batch and shared by the layers whose patterns
            // agree. lexical(m) compares the model's own input word-piece embeddings of each example (METHODS.md §2.2),
            // read here without gradient, so the mask follows the embeddings as they train and never backpropagates.
            var pattern = model.Learned?.Harden() ?? settings.Pattern!;
            if (pattern.Inputs.HasFlag(ContextInputs.TokenEmbeddings) && inputIds is not null)
                PatternInputs.AddWordEmbeddings(_contexts, inputIds, model);
            _batchLayouts = BatchLayouts.Build(pattern, _contexts, layers, model.Config.NumAttentionHeads, settings.Seed, settings.EmptyRows);
            _patternLayer = (layer, _) => LayerPlan.OnLayout(model.Kernel, _batchLayouts[layer]);
        }
    }

    /// <summary>
    /// The plan of <paramref name="model"/> for a batch embedded as <paramref name="embedded"/> [B, N, Hd] with
    /// <paramref name="attentionMask"/> [B, N] (right padding when a pattern runs) and optional per-example pattern
    /// contexts (see <see cref="BertModel.forward"/>). With <paramref name="inputIds"/> [B, N], a pattern that compares
    /// static embeddings (<c>lexical(m)</c>) reads them from the model's word embeddings for every context that has none.
    /// </summary>
    public static AttentionPlan Build(BertModel model, Tensor embedded, Tensor attentionMask, IReadOnlyList<PatternContext>? patternInputs = null,
        Tensor? inputIds = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(embedded);
        ArgumentNullException.ThrowIfNull(attentionMask);
        return new AttentionPlan(model, embedded, attentionMask, patternInputs, inputIds);
    }

    /// <summary>How layer <paramref name="layer"/> attends, given its input <paramref name="input"/> [B, N, Hd].</summary>
    public LayerPlan For(int layer, Tensor input) =>
        _model.Encoder.Layers[layer].Attention.Self.Variant is { } variant
            ? LayerPlan.OfVariant(variant, _keyPadding)
            : _patternLayer(layer, input);

    /// <summary>
    /// What the layers attended with, once the encoder has run: the layouts, ρ of the training gates (a differentiable
    /// [] tensor in the current dispose scope) and AAA's selections; <see cref="AttentionOutcome.Dense"/> on HF's path.
    /// </summary>
    public AttentionOutcome Finish()
    {
        if (_contexts is null) return AttentionOutcome.Dense;
        if (_layerSparsity.Count > 0)
        {
            try
            {
                return new AttentionOutcome(null, SparsityLoss.Mean(_layerSparsity));                                  // []
            }
            finally
            {
                Dispose();
            }
        }
        if (_batchLayouts is not null) return new AttentionOutcome(_batchLayouts);
        return new AttentionOutcome(BatchLayouts.Of(_layouts, _specs, _model.Config.NumAttentionHeads), AxisSelections: _selections);
    }

    /// <summary>Frees the per-layer ρ kept for <see cref="Finish"/> (none once it has run).</summary>
    public void Dispose()
    {
        foreach (var rho in _layerSparsity) rho.Dispose();
        _layerSparsity.Clear();
    }

    // Training: every layer attends over the real tokens (a full layout; padding excluded) with the gates as the additive
    // bias (g − 1)·C, on Reference or Sdpa, the kernels that take a bias. Each layer's ρ is kept, differentiable.
    private Func<int, Tensor, LayerPlan> TrainingGates(LearnablePattern learned, int padded)
    {
        var contexts = _contexts!;
        int[] lengths = [.. contexts.Select(c => c.Length)];
        var maps = contexts.Select(c => CsrLayout.Build(new FullPattern(), c, EmptyRowPolicy.Keep)).ToArray();
        var settings = _model.Attention;
        AttentionKernel kernel = settings.Kernel == AttentionKernelKind.Reference ? new ReferenceKernel() : new SdpaKernel();
        return (layer, input) =>
        {
            var gates = learned.Gates(input, lengths, padded, layer);                               // [B, H|1, N, N]
            var rho = SparsityLoss.PerHead(gates, lengths);                                           // [H|1]
            rho.DetachFromDisposeScope();   // outlives the encoder's scope until Finish averages it
            _layerSparsity.Add(rho);
            var bias = LearnablePattern.GateBias(gates, settings.GateBiasScale);                     // [B, H|1, N, N]
            return LayerPlan.OnLayout(kernel, new AttentionLayout(maps, contexts.Length, 1, bias));
        };
    }

    // Evaluation of AAA: each example's hardened pattern at each layer, read from the layer's input, with its selections.
    private Func<int, Tensor, LayerPlan> HardenedPerInput(AxisAttentionPattern axis)
    {
        var contexts = _contexts!;
        int[] lengths = [.. contexts.Select(c => c.Length)];
        var settings = _model.Attention;
        return (layer, input) =>
        {
            var patterns = axis.HardenBatch(input, lengths, layer);
            var maps = contexts.Select((c, b) => CsrLayout.Build(patterns[b], c with { Layer = layer, Seed = settings.Seed }, settings.EmptyRows)).ToArray();
            _layouts[layer] = new AttentionLayout(maps, contexts.Length);
            _specs[layer] = string.Join(" | ", patterns.Select(p => p.ToString()));
            _selections[layer] = axis.Selection(input, lengths, layer);
            return LayerPlan.OnLayout(_model.Kernel, _layouts[layer]);
        };
    }

    /// <summary>
    /// One pattern context per example from the padding mask [B, N]: the real length is the count of ones, which must
    /// come first (right padding), because patterns index real tokens from 0.
    /// </summary>
    private static PatternContext[] PatternContexts(Tensor attentionMask, IReadOnlyList<PatternContext>? inputs)
    {
        int batch = (int)attentionMask.shape[0], padded = (int)attentionMask.shape[1];
        using var cpu = attentionMask.to(CPU).to_type(ScalarType.Int64).contiguous();   // [B, N]
        var flags = cpu.data<long>().ToArray();
        if (inputs is not null && inputs.Count != batch)
            throw new ArgumentException($"got {inputs.Count} pattern contexts for a batch of {batch} examples; give one per example.", nameof(inputs));
        var contexts = new PatternContext[batch];
        for (int b = 0; b < batch; b++)
        {
            var row = flags.AsSpan(b * padded, padded);
            int length = row.IndexOf(0L);
            if (length < 0) length = padded;
            if (row[length..].ContainsAnyExcept(0L) || row[..length].ContainsAnyExcept(1L))
                throw new ArgumentException($"example {b} of the attention mask is not right-padded ones then zeros; sparse patterns index real tokens from position 0, so pad on the right.", nameof(attentionMask));
            var given = inputs?[b];
            if (given is not null && given.Length != length)
                throw new ArgumentException($"the pattern context of example {b} has length {given.Length} but the attention mask has {length} real tokens.", nameof(inputs));
            contexts[b] = (given ?? new PatternContext(length) { Example = b }) with { PaddedLength = padded };
        }
        return contexts;
    }
}
