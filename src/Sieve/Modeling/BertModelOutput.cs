// What BertModel returns: HF's BaseModelOutputWithPooling, minus the optional attentions/hidden-state lists.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>The encoder's last hidden state [B, N, Hd] and, when the model has a pooler, the pooled output [B, Hd].</summary>
public sealed record BertModelOutput(Tensor LastHiddenState, Tensor? PoolerOutput);
