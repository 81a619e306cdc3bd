// Turns a task's examples into model inputs with the task's own tokenization: WordPiece for GLUE (pairs with segments,
// longest-first truncation), the LRA tokenizers for ListOps and byte-level text (METHODS.md §15). A text task on a model
// with a WordPiece vocabulary is read in wordpieces: a pre-trained encoder knows its own vocabulary, and byte ids would
// be arbitrary rows of its embedding table.
using Sieve.Data;
using Sieve.Data.ListOps;
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

    /// <summary>Whether the ids are wordpieces (GLUE, and text on a WordPiece model) rather than an LRA task's own ids.</summary>
    public bool UsesWordPiece => _tokenizer is not null;

    /// <summary>The vocabulary the ids come from: the WordPiece vocabulary, or the LRA task's own.</summary>
    public int VocabularySize => _tokenizer?.VocabularySize
        ?? (Task.Kind == TaskKind.ListOps ? ListOpsTokenizer.VocabularySize : ByteTextEncoder.VocabularySize);

    /// <summary>The padding id batches are filled with.</summary>
    public int PadId => _tokenizer?.PadTokenId
        ?? (Task.Kind == TaskKind.ListOps ? ListOpsTokenizer.PadId : ByteTextEncoder.PadId);

    /// <summary>
    /// An encoder for <paramref name="task"/>: GLUE tasks need <paramref name="tokenizer"/>; text uses it when given
    /// (a pre-trained model's vocabulary) and bytes otherwise (LRA Text from scratch); ListOps brings its own and ignores it.
    /// </summary>
    public static TaskEncoder For(TaskDefinition task, SieveTokenizer? tokenizer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        if (task.IsGlue && tokenizer is null)
            throw new ArgumentException($"the {task.Name} task is tokenized with WordPiece: give a vocab.txt (--vocab, or a model directory that has one).", nameof(tokenizer));
        return new TaskEncoder(task, ReadsWordPiece(task, tokenizer is not null) ? tokenizer : null, maxLength);
    }

    /// <summary>Whether <paramref name="task"/> is read in wordpieces when a WordPiece vocabulary is (or is not) at hand.</summary>
    public static bool ReadsWordPiece(TaskDefinition task, bool hasVocabulary)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsGlue || (task.Kind == TaskKind.Text && hasVocabulary);
    }

    /// <summary>
    /// Encodes <paramref name="examples"/>; example i gets data-set index i, so random patterns differ per example, and
    /// with <paramref name="parses"/> the parse of row i (syntax(k); GLUE tasks only).
    /// </summary>
    public EncodedExample[] EncodeAll(IReadOnlyList<Example> examples, TaskParses? parses = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (parses is not null && _tokenizer is null)
            throw new ArgumentException($"{parses.Path}: dependency parses need words, and the {Task.Name} task has none (it is tokenized by character or symbol); syntax(k) runs on GLUE tasks.", nameof(parses));
        var encoded = new EncodedExample[examples.Count];
        if (parses is null)
        {
            Parallel.For(0, examples.Count, i => encoded[i] = Encode(examples[i], i));
            return encoded;
        }
        // A parse that does not fit its row is reported for the first such row, as a sequential read would.
        var errors = new InvalidDataException?[examples.Count];
        Parallel.For(0, examples.Count, i =>
        {
            try
            {
                encoded[i] = Encode(examples[i], i, parses);
            }
            catch (InvalidDataException error)
            {
                errors[i] = error;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } first) throw first;
        return encoded;
    }

    /// <summary>Encodes one example at data-set index <paramref name="index"/>, with its parse when <paramref name="parses"/> is given.</summary>
    public EncodedExample Encode(Example example, int index, TaskParses? parses = null)
    {
        ArgumentNullException.ThrowIfNull(example);
        double target = Task.IsRegression ? example.Score ?? double.NaN : example.Label ?? double.NaN;
        if (_tokenizer is not null)
        {
            var input = _tokenizer.Encode(example.Text, example.TextPair, _options);
            var patternInputs = PatternInputs.For(input, index);
            if (parses is not null) patternInputs = parses.Attach(patternInputs, input, example, index, _tokenizer);
            return new EncodedExample([.. input.InputIds], [.. input.TokenTypeIds], patternInputs, target);
        }
        int[] ids = Task.Kind == TaskKind.ListOps
            ? ListOpsTokenizer.Encode(example.Text, MaxLength)
            : ByteTextEncoder.Encode(example.Text, MaxLength);
        // [CLS] is the one special token of the LRA encodings; global(tokens=special) makes it the global token.
        var context = new PatternContext(ids.Length) { Example = index, SpecialTokens = [0], SegmentIds = new int[ids.Length] };
        return new EncodedExample(ids, new int[ids.Length], context, target);
    }
}
