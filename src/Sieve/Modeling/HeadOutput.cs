// What a head on BertModel returns beside its logits: the attention outcome of the batch (HF's SequenceHeadOutput
// and MaskedLMOutput, with the layouts, ρ and selections in place of the optional attentions list).
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>A head's <paramref name="Logits"/> ([B, L] for a classifier, [B, N, V] for MLM) and the batch's <paramref name="Attention"/>.</summary>
public sealed record HeadOutput(Tensor Logits, AttentionOutcome Attention);
