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
