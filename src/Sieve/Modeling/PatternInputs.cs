// From a tokenized input to the context its patterns bind to: the word map, the [CLS]/[SEP] positions and the segments
// (METHODS.md §2.2: word-level patterns reach word pieces through the word ids), and optionally static embeddings.
using Sieve.Patterns;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>Builds the <see cref="PatternContext"/> of one tokenized example for <see cref="BertModel.forward"/>.</summary>
public static class PatternInputs
{
    /// <summary>
    /// The context of <paramref name="input"/> at data-set index <paramref name="example"/> (random patterns resample
    /// per example): real length, word ids, special-token positions and segments.
    /// </summary>
    public static PatternContext For(TokenizedInput input, int example)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = input.RealLength;
        return new PatternContext(n)
        {
            Example = example,
            WordIds = [.. input.WordIds.Take(n)],
            SpecialTokens = [.. input.SpecialTokenPositions],
            SegmentIds = [.. input.TokenTypeIds.Take(n)],
        };
    }

    /// <summary>
    /// Gives every context of <paramref name="contexts"/> that has no <see cref="PatternContext.TokenEmbeddings"/> the rows
    /// of <paramref name="model"/>'s word-embedding matrix for its tokens in <paramref name="inputIds"/> [B, N] (right
    /// padded; the first <see cref="PatternContext.Length"/> ids of row b are example b's). Read without gradient: a
    /// mask built from them is a constant of the step.
    /// </summary>
    public static void AddWordEmbeddings(PatternContext[] contexts, Tensor inputIds, BertModel model)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(model);
        if (contexts.All(c => c.TokenEmbeddings is not null)) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rows = model.Embeddings.WordEmbeddings.forward(inputIds).detach().to(CPU).to_type(ScalarType.Float32).contiguous();   // [B, N, Hd]
        int padded = (int)rows.shape[1], hidden = (int)rows.shape[2];
        var flat = rows.data<float>().ToArray();
        for (int b = 0; b < contexts.Length; b++)
        {
            if (contexts[b].TokenEmbeddings is not null) continue;
            int start = b * padded * hidden;
            var vectors = new float[contexts[b].Length][];
            for (int t = 0; t < vectors.Length; t++) vectors[t] = flat.AsSpan(start + (t * hidden), hidden).ToArray();
            contexts[b] = contexts[b] with { TokenEmbeddings = vectors };
        }
    }

    /// <summary>
    /// <paramref name="context"/> with the model's input word-piece embeddings as the static embeddings the lexical
    /// pattern compares (METHODS.md §2.2), read from <paramref name="model"/>'s embedding matrix for <paramref name="input"/>.
    /// </summary>
    public static PatternContext WithStaticEmbeddings(PatternContext context, TokenizedInput input, BertModel model)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(input.InputIds.Take(context.Length).Select(i => (long)i).ToArray(), device: model.Embeddings.WordEmbeddings.weight!.device);   // [N]
        var rows = model.Embeddings.WordEmbeddings.forward(ids).to(CPU).to_type(ScalarType.Float32);          // [N, Hd]
        int hidden = (int)rows.shape[1];
        var flat = rows.contiguous().data<float>().ToArray();
        var vectors = Enumerable.Range(0, context.Length).Select(t => flat.AsSpan(t * hidden, hidden).ToArray()).ToArray();
        return context with { TokenEmbeddings = vectors };
    }
}
