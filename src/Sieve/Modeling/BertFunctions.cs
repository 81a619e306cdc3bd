// Small pieces of HF's BERT shared by several modules: the activation (ACT2FN), the extended attention mask
// (modeling_utils.get_extended_attention_mask) and the weight initialisation (BertPreTrainedModel._init_weights).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>Activation, padding mask and initialisation as HF's BERT does them.</summary>
public static class BertFunctions
{
    /// <summary>Applies <paramref name="activation"/> elementwise.</summary>
    public static Tensor Activate(Tensor x, BertActivation activation)
    {
        ArgumentNullException.ThrowIfNull(x);
        return activation switch
        {
            BertActivation.Gelu => nn.functional.gelu(x),                                                  // erf form
            BertActivation.GeluTanh => GeluTanh(x),
            BertActivation.Relu => nn.functional.relu(x),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
        };
    }

    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), HF's gelu_new.
    private static Tensor GeluTanh(Tensor x)
    {
        return x.Times(0.5) * tanh(x.Plus(x.pow(Scalars.Of(3)).Times(0.044715)).Times(Math.Sqrt(2.0 / Math.PI))).add(Scalars.One, Scalars.One);
    }

    /// <summary>
    /// HF's extended attention mask: (1 − mask)·min(dtype), shaped [B, 1, 1, N] so that it broadcasts over heads and
    /// query rows and is added to the scores. min(dtype) rather than −10000 matches current transformers; both give
    /// exactly zero weight to padding after the softmax.
    /// </summary>
    public static Tensor ExtendedAttentionMask(Tensor attentionMask, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(attentionMask);
        var lowest = dtype switch
        {
            ScalarType.Float64 => double.MinValue,
            ScalarType.Float32 => float.MinValue,
            ScalarType.Float16 => -65504.0,
            ScalarType.BFloat16 => -3.3895313892515355e38,
            _ => throw new ArgumentException($"the model's dtype {dtype} is not a floating type.", nameof(dtype)),
        };
        using var scope = NewDisposeScope();
        var keep = attentionMask.to_type(dtype).unsqueeze(1).unsqueeze(1);   // [B, 1, 1, N]
        var masked = keep.logical_not().to_type(dtype).Times(lowest);         // [B, 1, 1, N]: 0 on tokens, lowest on padding
        return scope.MoveToOuter(masked);
    }

    /// <summary>
    /// HF's _init_weights on every submodule: Linear and Embedding weights ~ N(0, initializer_range), biases 0, the
    /// padding row of embeddings 0, LayerNorm weight 1 and bias 0. Seed with torch.manual_seed first for reproducibility.
    /// </summary>
    public static void InitializeWeights(nn.Module module, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(config);
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case Linear linear:
                    linear.weight!.normal_(0, config.InitializerRange);
                    linear.bias?.zero_();
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, config.InitializerRange);
                    break;
                case LayerNorm norm:
                    norm.weight?.fill_(Scalars.One);
                    norm.bias?.zero_();
                    break;
            }
        }
    }
}
