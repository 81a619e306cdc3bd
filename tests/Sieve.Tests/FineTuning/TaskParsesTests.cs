// The CoNLL-U parses of a task split reach each example's pattern context: aligned with the rows by index, words matched
// by their characters (a parser's "does n't" against BERT's "doesn ' t"), pairs joined without a crossing arc, truncated
// words kept as words without tokens; a missing or mismatched parse is an error naming both files, or a row without arcs.
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Patterns;
using Sieve.Tokenization;

namespace Sieve.Tests.FineTuning;

public sealed class TaskParsesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-parses-").FullName;
    private readonly SieveTokenizer _tokenizer;

    public TaskParsesTests()
    {
        var vocab = Path.Combine(_dir, "vocab.txt");
        File.WriteAllLines(vocab, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "it", "does", "doesn", "'", "t", "move", ".", "the", "cat", "sat", "un", "##believ", "##able"]);
        _tokenizer = SieveTokenizer.Create(vocab);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Line(int id, string form, int head) => $"{id}\t{form}\t_\t_\t_\t_\t{head}\tdep\t_\t_";

    private string Conllu(string name, params string[][] sentences)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, string.Join("\n\n", sentences.Select(s => string.Join('\n', s))) + "\n\n");
        return path;
    }

    // "It does n't move ." as a UD parser splits it: does ← n't, It → move (root) ← does, ".".
    private static readonly string[] _doesNot = [Line(1, "It", 4), Line(2, "does", 4), Line(3, "n't", 4), Line(4, "move", 0), Line(5, ".", 4)];

    [Fact]
    public void Words_AlignByCharacters_SoEveryTokenGetsItsParseWord()
    {
        var parses = TaskParses.Read(Conllu("train.conllu", [Line(1, "The", 2), Line(2, "cat", 0)], _doesNot), "train.tsv");
        var encoder = TaskEncoder.For(TaskDefinition.Parse("sst2"), _tokenizer, maxLength: 32);
        var encoded = encoder.EncodeAll([new Example("the cat", null, 0, null, 2), new Example("It doesn't move.", null, 1, null, 3)], parses);

        Assert.Equal([-1, 0, 1, -1], encoded[0].Context.WordIds);
        Assert.Equal([1, -1], encoded[0].Context.DependencyHeads);
        // [CLS] it doesn ' t move . [SEP]: "doesn" starts in "does", "'" and "t" in "n't".
        Assert.Equal([-1, 0, 1, 2, 2, 3, 4, -1], encoded[1].Context.WordIds);
        Assert.Equal([3, 3, 3, -1, 3], encoded[1].Context.DependencyHeads);
        var layout = CsrLayout.Build(PatternSpec.Parse("syntax(1)"), encoded[1].Context);
        Assert.Equal([1, 5], layout.Row(1).ToArray());          // it: itself and its head "move"
        Assert.Equal([3, 4, 5], layout.Row(3).ToArray());       // ' (of n't): both pieces of n't and "move"
    }

    [Fact]
    public void APair_TakesTwoSentencesPerRow_WithoutAnArcAcross_AndTruncatedWordsKeepTheirPlace()
    {
        var parses = TaskParses.Read(Conllu("dev.conllu", [Line(1, "The", 2), Line(2, "cat", 3), Line(3, "sat", 0)], [Line(1, "It", 2), Line(2, "sat", 0)]), "dev.tsv");
        var encoder = TaskEncoder.For(TaskDefinition.Parse("rte"), _tokenizer, maxLength: 7);
        // [CLS] the cat [SEP] it sat [SEP]: "sat" of the text is cut by truncation (longest first).
        var encoded = encoder.EncodeAll([new Example("The cat sat", "It sat", 0, null, 2)], parses)[0];
        Assert.Equal([-1, 0, 1, -1, 3, 4, -1], encoded.Context.WordIds);
        Assert.Equal([1, 2, -1, 4, -1], encoded.Context.DependencyHeads);
    }

    [Fact]
    public void AMissingOrMismatchedParse_IsAnErrorNamingBothFiles_OrARowWithoutArcs()
    {
        var path = Conllu("short.conllu", [Line(1, "The", 2), Line(2, "cat", 0)]);
        var encoder = TaskEncoder.For(TaskDefinition.Parse("sst2"), _tokenizer, maxLength: 32);
        Example[] rows = [new("the cat", null, 0, null, 2), new("the cat sat", null, 1, null, 3)];

        var missing = Assert.Throws<InvalidDataException>(() => encoder.EncodeAll(rows, TaskParses.Read(path, "train.tsv")));
        Assert.Contains($"{path} has 1 sentence(s), but row 2 of train.tsv (line 3) needs sentence 2 (one per row)", missing.Message, StringComparison.Ordinal);

        var mismatched = Assert.Throws<InvalidDataException>(() => encoder.EncodeAll([rows[1]], TaskParses.Read(path, "train.tsv")));
        Assert.Contains($"{path}: sentence 1 (line 1) does not match row 1 of train.tsv (line 3)", mismatched.Message, StringComparison.Ordinal);
        Assert.Contains("the text reads 'sat' where the parse reads ''", mismatched.Message, StringComparison.Ordinal);

        var lenient = TaskParses.Read(path, "train.tsv", UnparsedRowPolicy.NoArcs);
        var encoded = encoder.EncodeAll(rows, lenient);
        Assert.Equal(1, lenient.Unparsed);
        Assert.Equal([-1, 0, 1, 2, -1], encoded[1].Context.WordIds);
        Assert.Equal([-1, -1, -1], encoded[1].Context.DependencyHeads);

        Assert.Throws<ArgumentException>(() => TaskEncoder.For(TaskDefinition.Parse("listops"), null, 8).EncodeAll(rows, lenient));
    }
}
