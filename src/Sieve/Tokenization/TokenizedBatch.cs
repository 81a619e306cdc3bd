// A batch of encoded inputs of one length as the flat row-major arrays a model takes; mirrors HF's BatchEncoding with
// return_tensors (input_ids, token_type_ids, attention_mask), plus every example's real length and word ids.
using System.Collections.Immutable;

namespace Sieve.Tokenization;

/// <summary>
/// B encoded inputs, all padded to the same length N. The flat arrays are row-major [B, N] (example b's token i at
/// b·N + i), ready for <c>torch.tensor(array, [B, N])</c>; they belong to this batch, are built once, and must not
/// be changed.
/// </summary>
public sealed class TokenizedBatch
{
    internal TokenizedBatch(ImmutableArray<TokenizedInput> inputs)
    {
        Inputs = inputs;
        Count = inputs.Length;
        Length = Count == 0 ? 0 : inputs[0].Length;
        if (inputs.Any(x => x.Length != Length))
            throw new ArgumentException(
                $"the inputs of a batch have different lengths ({inputs.Min(x => x.Length)} to {inputs.Max(x => x.Length)} tokens) and cannot form [B, N] arrays; pad them with PaddingStrategy.Longest or PaddingStrategy.MaxLength.",
                nameof(inputs));

        InputIds = Flatten(x => x.InputIds);
        TokenTypeIds = Flatten(x => x.TokenTypeIds);
        AttentionMask = Flatten(x => x.AttentionMask);
        Lengths = [.. inputs.Select(x => x.RealLength)];
    }

    /// <summary>The encoded inputs, one per example, in order.</summary>
    public ImmutableArray<TokenizedInput> Inputs { get; }

    /// <summary>B, the number of examples.</summary>
    public int Count { get; }

    /// <summary>N, the number of tokens of every example, padding included.</summary>
    public int Length { get; }

    /// <summary>The vocabulary ids, [B, N] row-major.</summary>
    public long[] InputIds { get; }

    /// <summary>The segment ids (0 first sentence, 1 second), [B, N] row-major.</summary>
    public long[] TokenTypeIds { get; }

    /// <summary>1 for a real token, 0 for padding, [B, N] row-major.</summary>
    public long[] AttentionMask { get; }

    /// <summary>Every example's real length (its tokens before padding, [CLS] and [SEP] included), [B].</summary>
    public ImmutableArray<int> Lengths { get; }

    private long[] Flatten(Func<TokenizedInput, ImmutableArray<int>> field)
    {
        var flat = new long[Count * Length];
        for (var b = 0; b < Count; b++)
        {
            var row = field(Inputs[b]);
            for (var i = 0; i < Length; i++)
                flat[(b * Length) + i] = row[i];
        }
        return flat;
    }
}
