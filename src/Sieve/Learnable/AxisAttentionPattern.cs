// Adaptive Axis Attention (Wang et al. 2022 §4.2, Eqs. 11–12; METHODS.md §4.4): per layer a linear map from each token's
// hidden state to a row logit and a column logit, hard Gumbel-sigmoid indicators, their soft OR, OR local(k).
using Sieve.Patterns;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Learnable;

/// <summary>
/// AAA: B_ij = I^r_i + I^c_j − I^r_i·I^c_j with I^k_n = GumbelSigmoid(f^k(x_n)) for the layer's input x, OR local(k)
/// (and any further fixed part); heads share the layer's mask ([B, 1, N, N]); padding is never selected. State dict:
/// <c>scorers.{layer}.weight</c> [2, Hd] and <c>.bias</c> [2] (output 0 = row, 1 = column), biases initialised to
/// <see cref="GumbelOptions.InitialLogit"/> so that training starts near full attention. The hard pattern depends on
/// the input: <see cref="HardenBatch"/> gives axis(rows, cols)+local(k) per example; <see cref="Harden"/> throws.
/// </summary>
public sealed class AxisAttentionPattern : LearnablePattern
{
    private readonly ModuleList<Linear> _scorers;

    public AxisAttentionPattern(int layers, int hiddenSize, int local = 2, Pattern? extraFixed = null, GumbelOptions? options = null, Device? device = null, ScalarType? dtype = null)
        : base(nameof(AxisAttentionPattern), options ?? new GumbelOptions(), extraFixed is null ? new LocalPattern(local) : new LocalPattern(local) + extraFixed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        Layers = layers;
        HiddenSize = hiddenSize;
        Local = local;
        _scorers = nn.ModuleList([.. Enumerable.Range(0, layers).Select(_ => nn.Linear(hiddenSize, 2, device: device, dtype: dtype))]);
        using (no_grad())
        {
            foreach (var scorer in _scorers) scorer.bias!.FillInPlace(Options.InitialLogit);
        }
        register_module("scorers", _scorers);
    }

    /// <summary>The number of layers (one pair of linear maps each).</summary>
    public int Layers { get; }

    /// <summary>Hd, the width of the hidden states read.</summary>
    public int HiddenSize { get; }

    /// <summary>k of the local(k) part.</summary>
    public int Local { get; }

    public override bool IsInputDependent => true;

    /// <summary>The linear map of one layer: hidden [.., Hd] → (row logit, column logit) [.., 2].</summary>
    public Linear Scorer(int layer) => _scorers[layer];

    /// <summary>Gates [B, 1, N, N] from the layer's input <paramref name="hidden"/> [B, N, Hd].</summary>
    public override Tensor Gates(Tensor? hidden, int[] lengths, int paddedLength, int layer)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        using var scope = NewDisposeScope();
        var indicators = Indicators(hidden, lengths, paddedLength, layer, evaluation: !training); // [B, N, 2]
        var rows = indicators.select(-1, 0).unsqueeze(2);                                   // [B, N, 1]
        var cols = indicators.select(-1, 1).unsqueeze(1);                                   // [B, 1, N]
        var axis = rows.add(cols, Scalars.One).sub(rows.mul(cols));                                          // [B, N, N]  Eq. 12
        return Finish(axis.unsqueeze(1), lengths, paddedLength, layer).MoveToOuterDisposeScope(); // [B, 1, N, N]
    }

    /// <summary>AAA adapts per input: use <see cref="HardenBatch"/> or <see cref="HardenFor"/>.</summary>
    public override Pattern Harden() =>
        throw new InvalidOperationException("aaa(...) is adaptive per input, so it has no single hard pattern; call HardenBatch(hidden, lengths, layer) or HardenFor(hidden, length, layer) with the layer's input.");

    /// <summary>
    /// The hard pattern of each example of a batch at <paramref name="layer"/>: axis(rows, cols) + local(k) (+ fixed
    /// part), with rows/cols the real tokens whose logits are &gt; 0 (no noise), equal to the evaluation gates.
    /// </summary>
    public IReadOnlyList<Pattern> HardenBatch(Tensor hidden, int[] lengths, int layer)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(lengths);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var indicators = Indicators(hidden, lengths, (int)hidden.shape[1], layer, evaluation: true) // [B, N, 2]
            .to(ScalarType.Float64).cpu();
        var result = new Pattern[lengths.Length];
        for (int b = 0; b < lengths.Length; b++)
        {
            double[] values = indicators[b].data<double>().ToArray();                       // [N·2]
            int[] rows = [.. Enumerable.Range(0, lengths[b]).Where(p => values[2 * p] == 1.0)];
            int[] cols = [.. Enumerable.Range(0, lengths[b]).Where(p => values[(2 * p) + 1] == 1.0)];
            result[b] = WithFixed(rows.Length + cols.Length == 0 ? null : new AxisPattern(rows, cols));
        }
        return result;
    }

    /// <summary>The hard pattern of one input: <paramref name="hidden"/> [N, Hd] or [1, N, Hd], real length <paramref name="length"/>.</summary>
    public Pattern HardenFor(Tensor hidden, int length, int layer)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var batch = hidden.Dimensions == 2 ? hidden.unsqueeze(0) : hidden.alias();  // [1, N, Hd]
        return HardenBatch(batch, [length], layer)[0];
    }

    /// <summary>AAA Table 6 for one layer: the share of real tokens selected as rows and as columns (no noise).</summary>
    public AxisSelection Selection(Tensor hidden, int[] lengths, int layer)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(lengths);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var indicators = Indicators(hidden, lengths, (int)hidden.shape[1], layer, evaluation: true); // [B, N, 2]
        var counts = indicators.sum([0L, 1L]).to(ScalarType.Float64).cpu().data<double>().ToArray();   // [2]
        long tokens = lengths.Sum(n => (long)n);
        return tokens == 0
            ? new AxisSelection(layer, 0, 0, 0)
            : new AxisSelection(layer, counts[0] / tokens, counts[1] / tokens, tokens);
    }

    // Row and column indicators [B, N, 2], zero on padding tokens.
    private Tensor Indicators(Tensor? hidden, int[] lengths, int paddedLength, int layer, bool evaluation)
    {
        if (hidden is null) throw new ArgumentNullException(nameof(hidden), "aaa(...) reads the layer's input hidden states [B, N, Hd]; pass them.");
        if (layer < 0 || layer >= Layers)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"this aaa pattern serves layers 0..{Layers - 1}, got layer {layer}.");
        if (hidden.Dimensions != 3 || hidden.shape[0] != lengths.Length || hidden.shape[1] != paddedLength || hidden.shape[2] != HiddenSize)
            throw new ArgumentException($"hidden must be [B = {lengths.Length}, N = {paddedLength}, Hd = {HiddenSize}], got [{string.Join(", ", hidden.shape)}].", nameof(hidden));
        using var scope = NewDisposeScope();
        var logits = _scorers[layer].forward(hidden);                                       // [B, N, 2]
        var indicators = evaluation ? GumbelGates.BinaryThreshold(logits) : BinaryGates(logits); // [B, N, 2]
        var real = TokenMask(lengths, paddedLength, logits.dtype, logits.device);         // [B, N]
        return indicators.mul(real.unsqueeze(-1)).MoveToOuterDisposeScope();              // [B, N, 2]
    }

    // The only child is registered by hand as "scorers".
    protected override void RegisterComponents()
    {
    }
}
