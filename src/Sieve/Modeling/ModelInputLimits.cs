// What a BERT model can take as input, checked before it runs: an input longer than the position embeddings, an id
// past vocab_size or a segment past type_vocab_size is otherwise an index error deep in libtorch, a native stack trace
// instead of a message. Shared by every command that feeds a model (finetune, pretrain, evaluate, encode).
namespace Sieve.Modeling;

/// <summary>Refuses, with <see cref="ArgumentException"/> naming the limit, inputs a model of a config cannot embed.</summary>
public static class ModelInputLimits
{
    /// <summary>Inputs of up to <paramref name="maxLength"/> tokens need that many position embeddings.</summary>
    public static void CheckLength(BertConfig config, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (maxLength > config.MaxPositionEmbeddings)
            throw new ArgumentException($"--max-length {maxLength} exceeds the model's {config.MaxPositionEmbeddings} position embeddings; use at most {config.MaxPositionEmbeddings}, or give the model more positions with sieve extend (or --max-positions when training).");
    }

    /// <summary>Every id of a tokenizer with <paramref name="vocabularySize"/> ids needs a row of the word embeddings.</summary>
    public static void CheckVocabulary(BertConfig config, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (vocabularySize > config.VocabSize)
            throw new ArgumentException($"the tokenizer has {vocabularySize} ids but the model's vocab_size is {config.VocabSize}; use the vocabulary the model was trained with.");
    }

    /// <summary>Inputs with <paramref name="segments"/> segments (2 for a text pair) need as many token-type embeddings.</summary>
    public static void CheckSegments(BertConfig config, int segments)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (segments > config.TypeVocabSize)
            throw new ArgumentException($"the input has {segments} segments (a text pair) but the model's type_vocab_size is {config.TypeVocabSize}; " +
                "it was trained on single texts, so give one text or a model trained on pairs.");
    }

    /// <summary>The segments check over every input's token types (a pair task's second texts are segment 1).</summary>
    public static void CheckSegments(BertConfig config, IEnumerable<IReadOnlyList<int>> tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(tokenTypeIds);
        int highest = tokenTypeIds.Select(types => types.Count == 0 ? 0 : types.Max()).DefaultIfEmpty().Max();
        CheckSegments(config, highest + 1);
    }

    /// <summary>All three checks on one encoded input: its length, its ids and its token types.</summary>
    public static void CheckInput(BertConfig config, IReadOnlyList<int> inputIds, IReadOnlyList<int> tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(tokenTypeIds);
        if (inputIds.Count > config.MaxPositionEmbeddings)
            throw new ArgumentException($"the input has {inputIds.Count} tokens but the model has {config.MaxPositionEmbeddings} position embeddings; use --max-length {config.MaxPositionEmbeddings} or less, or give the model more positions with sieve extend.");
        for (int i = 0; i < inputIds.Count; i++)
        {
            if (inputIds[i] < 0 || inputIds[i] >= config.VocabSize)
                throw new ArgumentException($"token {i} of the input has id {inputIds[i]}, outside the model's vocabulary [0, {config.VocabSize}); use the vocabulary the model was trained with.");
        }
        if (tokenTypeIds.Count > 0) CheckSegments(config, tokenTypeIds.Max() + 1);
    }
}
