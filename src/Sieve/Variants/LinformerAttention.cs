// Linformer self-attention (Wang et al. 2020, "Linformer: Self-Attention with Linear Complexity"; METHODS.md §8):
// head = softmax(Q (E K)ᵀ/√D) (F V), with E, F projecting the length n → k, so the scores are [N, k], never [N, N].
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Variants;

/// <summary>
/// Linformer attention. Parameters <c>e_proj</c> [k, maxLength] and, without sharing, <c>f_proj</c>. The projections
/// act on the already projected keys and values (E·(X W_K) rather than fairseq's (E·X) W_K: equal up to the bias term);
/// an input of n &lt; maxLength uses their first n columns, and padding keys are zeroed before the projection so they
/// contribute nothing.
/// </summary>
public sealed class LinformerAttention : AttentionVariant
{
    private readonly LinformerOptions _options;

    public LinformerAttention(LinformerOptions options, int heads, int headSize, int hiddenSize, int maxLength, Device? device = null, ScalarType? dtype = null, LinformerProjection? shared = null)
        : base(nameof(LinformerAttention))
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        if (shared is not null && options.Share != LinformerSharing.Layer)
            throw new ArgumentException($"a shared LinformerProjection is for share=layer; these options say share={SpecArguments.SnakeCase(options.Share)}", nameof(shared));
        if (shared is not null && (shared.K != options.K || shared.MaxLength != maxLength || !shared.SharesKeyValue))
            throw new ArgumentException($"the shared projection is k={shared.K}, maxLength={shared.MaxLength} (kv shared: {shared.SharesKeyValue}); this layer needs k={options.K}, maxLength={maxLength}, kv shared", nameof(shared));
        Projection = shared ?? new LinformerProjection(options.K, maxLength, options.Share != LinformerSharing.None, device, dtype);
        register_parameter("e_proj", Projection.E);
        if (!Projection.SharesKeyValue) register_parameter("f_proj", Projection.F);
    }

    public override VariantOptions Options => _options;

    /// <summary>The projections; pass this to the other layers' constructors for layer-wise sharing.</summary>
    public LinformerProjection Projection { get; }

    public override Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor hidden, Tensor keyPadding)
    {
        CheckInputs(q, k, v, hidden, keyPadding);
        using var scope = NewDisposeScope();
        var (keys, values) = Compress(k, v, keyPadding);                            // [B, H, k, D] each
        var scores = q.matmul(keys.transpose(-1, -2)).DividedBy(Math.Sqrt(q.shape[^1]));                   // [B, H, N, k]
        return scope.MoveToOuter(scores.softmax(-1).matmul(values));                // [B, H, N, D]
    }

    /// <summary>The attention scores [B, H, N, k]: their size grows with N·k, not N².</summary>
    internal Tensor Scores(Tensor q, Tensor k, Tensor v, Tensor keyPadding)
    {
        using var scope = NewDisposeScope();
        var (keys, _) = Compress(k, v, keyPadding);                                 // [B, H, k, D]
        return scope.MoveToOuter(q.matmul(keys.transpose(-1, -2)).DividedBy(Math.Sqrt(q.shape[^1])));
    }

    private (Tensor Keys, Tensor Values) Compress(Tensor k, Tensor v, Tensor keyPadding)
    {
        long n = k.shape[2];
        if (n > Projection.MaxLength)
            throw new ArgumentException($"linformer was built for at most {Projection.MaxLength} tokens, got {n}; build it with a larger maxLength", nameof(k));
        var real = keyPadding.unsqueeze(1).unsqueeze(-1).to_type(k.dtype);         // [B, 1, N, 1]
        var e = Projection.E[.., ..(int)n];                                          // [k, N]
        var f = Projection.F[.., ..(int)n];                                          // [k, N]
        return (e.matmul(k * real), f.matmul(v * real));                             // [B, H, k, D] each
    }

    public override VariantReport Report() =>
        new(_options.ToString(), new Dictionary<string, IReadOnlyList<double>> { ["k"] = [Projection.K], ["max_length"] = [Projection.MaxLength] });
}
