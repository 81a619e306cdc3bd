// What BertModel returns: HF's BaseModelOutputWithPooling, minus the optional attentions/hidden-state lists.
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>
/// The encoder's last hidden state [B, N, Hd], the pooled output [B, Hd] when the model has a pooler, and the layouts
/// the layers ran on (null on HF's dense path).
/// </summary>
public sealed record BertModelOutput(Tensor LastHiddenState, Tensor? PoolerOutput, BatchLayouts? Layouts = null);
