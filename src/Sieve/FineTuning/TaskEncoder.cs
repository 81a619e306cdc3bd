// Turns a task's examples into model inputs with the task's own tokenization: WordPiece for GLUE (pairs with segments,
// longest-first truncation), the LRA tokenizers for ListOps and byte-level text (METHODS.md §15).
using Sieve.Data;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Tokenization;

namespace Sieve.FineTuning;

/// <summary>Encodes the examples of one task, truncated to <see cref="MaxLength"/> tokens.</summary>
public sealed class TaskEncoder
{
    private readonly SieveTokenizer? _tokenizer;
    private readonly EncodeOptions _options;

    private TaskEncoder(TaskDefinition task, SieveTokenizer? tokenizer, int maxLength)
    {
        Task = task;
        _tokenizer = tokenizer;
        MaxLength = maxLength;
        _options = new EncodeOptions { MaxLength = maxLength };
    }

    /// <summary>The task whose examples this encodes.</summary>
    public TaskDefinition Task { get; }

    /// <summary>The most tokens an example keeps, [CLS] included.</summary>
    public int MaxLength { get; }

    /// <summary>The vocabulary the ids come from: the WordPiece vocabulary, or the LRA task's own.</summary>
    public int VocabularySize => Task.Kind switch
    {
        TaskKind.ListOps => ListOpsTokenizer.VocabularySize,
        TaskKind.Text => ByteTextEncoder.VocabularySize,
        _ => _tokenizer!.VocabularySize,
    };

    /// <summary>The padding id batches are filled with.</summary>
    public int PadId => Task.Kind switch
    {
        TaskKind.ListOps => ListOpsTokenizer.PadId,
        TaskKind.Text => ByteTextEncoder.PadId,
        _ => _tokenizer!.PadTokenId,
    };

    /// <summary>
    /// An encoder for <paramref name="task"/>: GLUE tasks need <paramref name="tokenizer"/>; ListOps and byte-level text
    /// bring their own tokenization and ignore it.
    /// </summary>
    public static TaskEncoder For(TaskDefinition task, SieveTokenizer? tokenizer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        if (task.IsGlue && tokenizer is null)
            throw new ArgumentException($"the {task.Name} task is tokenized with WordPiece: give a vocab.txt (--vocab, or a model directory that has one).", nameof(tokenizer));
        return new TaskEncoder(task, task.IsGlue ? tokenizer : null, maxLength);
    }

    /// <summary>Encodes <paramref name="examples"/>; example i gets data-set index i, so random patterns differ per example.</summary>
    public EncodedExample[] EncodeAll(IReadOnlyList<Example> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var encoded = new EncodedExample[examples.Count];
        Parallel.For(0, examples.Count, i => encoded[i] = Encode(examples[i], i));
        return encoded;
    }

    /// <summary>Encodes one example at data-set index <paramref name="index"/>.</summary>
    public EncodedExample Encode(Example example, int index)
    {
        ArgumentNullException.ThrowIfNull(example);
        double target = Task.IsRegression ? example.Score ?? double.NaN : example.Label ?? double.NaN;
        if (_tokenizer is not null)
        {
            var input = _tokenizer.Encode(example.Text, example.TextPair, _options);
            return new EncodedExample([.. input.InputIds], [.. input.TokenTypeIds], PatternInputs.For(input, index), target);
        }
        int[] ids = Task.Kind == TaskKind.ListOps
            ? ListOpsTokenizer.Encode(example.Text, MaxLength)
            : ByteTextEncoder.Encode(example.Text, MaxLength);
        // [CLS] is the one special token of the LRA encodings; global(tokens=special) makes it the global token.
        var context = new PatternContext(ids.Length) { Example = index, SpecialTokens = [0], SegmentIds = new int[ids.Length] };
        return new EncodedExample(ids, new int[ids.Length], context, target);
    }
}
