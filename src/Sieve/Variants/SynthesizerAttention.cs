// Synthesizer attention (Tay et al. 2020, "Synthesizer: Rethinking Self-Attention in Transformer Models"; METHODS.md
// §9): Y = softmax(S) V with S synthesised from each token alone (dense) or learned outright (random), no QKᵀ.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// Synthesizer attention over the value projection v (G(X) in the paper). Parameters by kind: dense <c>dense_1</c>,
/// <c>dense_2</c>; random <c>random_attn</c> [H, ℓ, ℓ] (a buffer for fixed_random); factorized dense <c>dense_1</c>,
/// <c>factor_a</c>, <c>factor_b</c>; factorized random <c>random_r1</c>, <c>random_r2</c> [H, ℓ, r]; with mix=vanilla
/// also <c>mix_logits</c> [H, 2]. Inputs shorter than ℓ = maxLength use the first n rows and columns.
/// </summary>
public sealed class SynthesizerAttention : AttentionVariant
{
    private readonly SynthesizerOptions _options;
    private readonly int _heads;
    private readonly int _maxLength;
    private readonly int _factorA;
    private readonly Linear? _dense1;
    private readonly Linear? _dense2;
    private readonly Linear? _factorALinear;
    private readonly Linear? _factorBLinear;
    private readonly Tensor? _random;
    private readonly Parameter? _r1;
    private readonly Parameter? _r2;
    private readonly Parameter? _mix;

    public SynthesizerAttention(SynthesizerOptions options, int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null)
        : base(nameof(SynthesizerAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        _options = options;
        _heads = heads;
        _maxLength = maxLength;
        var type = dtype ?? ScalarType.Float32;
        switch (options.Kind)
        {
            case SynthesizerKind.Dense:
                _dense1 = nn.Linear(hiddenSize, hiddenSize, device: device, dtype: dtype);
                _dense2 = nn.Linear(hiddenSize, heads * maxLength, device: device, dtype: dtype);
                register_module("dense_1", _dense1);
                register_module("dense_2", _dense2);
                break;
            case SynthesizerKind.FactorizedDense:
                // a·b = ℓ with a the largest divisor of ℓ not above √ℓ (a prime ℓ gives a = 1: B alone carries the row).
                _factorA = Enumerable.Range(1, (int)Math.Sqrt(maxLength)).Last(d => maxLength % d == 0);
                _dense1 = nn.Linear(hiddenSize, hiddenSize, device: device, dtype: dtype);
                _factorALinear = nn.Linear(hiddenSize, heads * _factorA, device: device, dtype: dtype);
                _factorBLinear = nn.Linear(hiddenSize, heads * (maxLength / _factorA), device: device, dtype: dtype);
                register_module("dense_1", _dense1);
                register_module("factor_a", _factorALinear);
                register_module("factor_b", _factorBLinear);
                break;
            case SynthesizerKind.Random:
                _random = new Parameter(randn(heads, maxLength, maxLength, dtype: type, device: device));   // [H, ℓ, ℓ]
                register_parameter("random_attn", (Parameter)_random);
                break;
            case SynthesizerKind.FixedRandom:
                _random = randn(heads, maxLength, maxLength, dtype: type, device: device);                  // [H, ℓ, ℓ]
                register_buffer("random_attn", _random);
                break;
            case SynthesizerKind.FactorizedRandom:
                {
                    // Scaled so that R₁R₂ᵀ has entries of variance 1, like the unfactorised random matrix.
                    double scale = Math.Pow(options.FactorRank, -0.25);
                    _r1 = new Parameter(randn(heads, maxLength, options.FactorRank, dtype: type, device: device).Times(scale));   // [H, ℓ, r]
                    _r2 = new Parameter(randn(heads, maxLength, options.FactorRank, dtype: type, device: device).Times(scale));   // [H, ℓ, r]
                    register_parameter("random_r1", _r1);
                    register_parameter("random_r2", _r2);
                    break;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown synthesizer kind");
        }
        if (options.Mix == SynthesizerMix.Vanilla)
        {
            _mix = new Parameter(zeros(heads, 2, dtype: type, device: device));                            // [H, 2]: ½, ½
            register_parameter("mix_logits", _mix);
        }
    }

    public override VariantOptions Options => _options;

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        CheckInputs(q, k, v, hidden, keyPadding);
        using var scope = NewDisposeScope();
        var logits = Logits(q, k, hidden);                                          // [B or 1, H, N, N]
        var probabilities = VariantMath.MaskedSoftmax(logits, VariantMath.KeyMask(keyPadding));  // [B, H, N, N]
        return scope.MoveToOuter(probabilities.matmul(v));                          // [B, H, N, D]
    }

    /// <summary>The logits before the softmax: synthetic, or the learned mixture with q·kᵀ/√D.</summary>
    internal Tensor Logits(Tensor q, Tensor k, Tensor hidden)
    {
        using var scope = NewDisposeScope();
        int n = (int)hidden.shape[1];
        if (n > _maxLength)
            throw new ArgumentException($"synthesizer was built for at most {_maxLength} tokens, got {n}; build it with a larger maxLength", nameof(hidden));
        var synthetic = Synthetic(hidden, n);                                       // [B or 1, H, N, N]
        if (_mix is null) return scope.MoveToOuter(synthetic);
        var weights = _mix.softmax(-1);                                             // [H, 2]
        var mixed = (synthetic * weights[.., 0].view(1, -1, 1, 1))
            .add(VariantMath.Scores(q, k) * weights[.., 1].view(1, -1, 1, 1), Scalars.One);   // [B, H, N, N]
        return scope.MoveToOuter(mixed);
    }

    private Tensor Synthetic(Tensor hidden, int n)
    {
        long batch = hidden.shape[0];
        switch (_options.Kind)
        {
            case SynthesizerKind.Dense:
                {
                    var b = _dense2!.forward(nn.functional.relu(_dense1!.forward(hidden)));   // [B, N, H·ℓ]
                    return b.view(batch, n, _heads, _maxLength).permute(0, 2, 1, 3)[.., .., .., ..n];   // [B, H, N, N]
                }
            case SynthesizerKind.FactorizedDense:
                {
                    int a = _factorA, bLength = _maxLength / _factorA;
                    var h = nn.functional.relu(_dense1!.forward(hidden));                  // [B, N, Hd]
                    var fa = _factorALinear!.forward(h).view(batch, n, _heads, a);       // [B, N, H, a]
                    var fb = _factorBLinear!.forward(h).view(batch, n, _heads, bLength); // [B, N, H, b]
                                                                                         // Tiling: position j takes A[j mod a] and B[⌊j/a⌋], so the row is the outer product B ⊗ A flattened.
                    var c = (fb.unsqueeze(-1) * fa.unsqueeze(-2)).view(batch, n, _heads, _maxLength);   // [B, N, H, ℓ]
                    return c.permute(0, 2, 1, 3)[.., .., .., ..n];                      // [B, H, N, N]
                }
            case SynthesizerKind.Random:
            case SynthesizerKind.FixedRandom:
                return _random![.., ..n, ..n].unsqueeze(0);                          // [1, H, N, N]
            default:
                return _r1![.., ..n].matmul(_r2![.., ..n].transpose(-1, -2)).unsqueeze(0);   // [1, H, N, N]
        }
    }

    public override VariantReport Report()
    {
        var values = new Dictionary<string, IReadOnlyList<double>>();
        if (_mix is not null)
        {
            using var weights = _mix.detach().softmax(-1).to(ScalarType.Float64, CPU);   // [H, 2]
            values["synthetic_weight"] = weights[.., 0].contiguous().data<double>().ToArray();
            values["vanilla_weight"] = weights[.., 1].contiguous().data<double>().ToArray();
        }
        return new VariantReport(_options.ToString(), values);
    }
}
