// What BertModel returns: HF's BaseModelOutputWithPooling, minus the optional attentions/hidden-state lists, plus what
// the layers attended with.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// The encoder's last hidden state [B, N, Hd], the pooled output [B, Hd] when the model has a pooler, and the
/// <see cref="AttentionOutcome"/> of the batch: the layouts the layers ran on, ρ of training gates, AAA's selections.
/// </summary>
public sealed record BertModelOutput(Tensor LastHiddenState, Tensor? PoolerOutput, AttentionOutcome Attention)
{
    /// <summary>The layouts the layers ran on (null on HF's dense path): <see cref="AttentionOutcome.Layouts"/>.</summary>
    public BatchLayouts? Layouts => Attention.Layouts;
}
