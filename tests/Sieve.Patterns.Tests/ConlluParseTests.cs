// Tests of the CoNLL-U reader: word/head extraction against hand-read UD lines, and the line-numbered error messages.
namespace Sieve.Patterns.Tests;

public class ConlluParseTests
{
    // Two sentences in UD v2 style: comments, a multi-word token (2-3 "don't" → do + n't), an empty node (4.1), CRLF
    // line endings in the second sentence and no blank line at the very end.
    private const string _twoSentences =
        "# sent_id = 1\n" +
        "# text = I don't sleep\n" +
        "1\tI\tI\tPRON\t_\t_\t4\tnsubj\t_\t_\n" +
        "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n" +
        "2\tdo\tdo\tAUX\t_\t_\t4\taux\t_\t_\n" +
        "3\tn't\tnot\tPART\t_\t_\t4\tadvmod\t_\t_\n" +
        "4\tsleep\tsleep\tVERB\t_\t_\t0\troot\t_\t_\n" +
        "4.1\tsleep\tsleep\tVERB\t_\t_\t_\t_\t4:conj\t_\n" +
        "\n" +
        "\n" +
        "# sent_id = 2\r\n" +
        "1\tDogs\tdog\tNOUN\t_\t_\t2\tnsubj\t_\t_\r\n" +
        "2\tbark\tbark\tVERB\t_\t_\t0\troot\t_\t_\r\n" +
        "3\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_";

    [Fact]
    public void Parse_ReadsWordsAndZeroBasedHeads_SkippingRangesAndEmptyNodes()
    {
        var sentences = ConlluParse.Parse(_twoSentences);

        Assert.Equal(2, sentences.Count);
        Assert.Equal(["I", "do", "n't", "sleep"], sentences[0].Words);
        Assert.Equal([3, 3, 3, -1], sentences[0].Heads);
        Assert.Equal(["nsubj", "aux", "advmod", "root"], sentences[0].Relations);
        Assert.Equal(3, sentences[0].FirstLine);
        Assert.Equal(["Dogs", "bark", "."], sentences[1].Words);
        Assert.Equal([1, -1, 1], sentences[1].Heads);
        Assert.Equal(12, sentences[1].FirstLine);
    }

    [Fact]
    public void Parse_EmptyOrCommentOnlyInput_GivesNoSentences()
    {
        Assert.Empty(ConlluParse.Parse(""));
        Assert.Empty(ConlluParse.Parse("# only a comment\n\n\n"));
    }

    [Fact]
    public void PairHeads_ShiftsTheSecondSentence_AndKeepsBothRoots()
    {
        var sentences = ConlluParse.Parse(_twoSentences);

        var heads = DependencySentence.PairHeads(sentences[0], sentences[1]);

        // First sentence as is; the second's heads 1, −1, 1 become 5, −1, 5 after the 4 words of the first.
        Assert.Equal([3, 3, 3, -1, 5, -1, 5], heads);
    }

    public static TheoryData<string, int, string> Malformed => new()
    {
        // wrong column count on line 2 (9 columns)
        { "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t1\tdep\t_\n", 2, "expected 10 TAB-separated columns, got 9" },
        // spaces instead of tabs
        { "# c\n1 a a X _ _ 0 root _ _\n", 2, "not spaces" },
        // non-numeric head on line 3
        { "# c\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t_\tdep\t_\t_\n", 3, "non-numeric head '_'" },
        // head out of range: word 2 of a 2-word sentence points at 7 (line 2)
        { "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n2\tb\tb\tX\t_\t_\t7\tdep\t_\t_\n\n", 2, "head 7 of word 2 is out of range" },
        // cycle 2 → 3 → 2 in the second sentence (line 5 is word 2)
        { "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n# c\n2\tb\tb\tX\t_\t_\t3\tdep\t_\t_\n3\tc\tc\tX\t_\t_\t2\tdep\t_\t_\n", 5, "cycle in the heads: 2 → 3 → 2" },
        // a word that is its own head
        { "1\ta\ta\tX\t_\t_\t1\troot\t_\t_\n", 1, "word 1 is its own head" },
        // IDs out of order (a missing blank line between two sentences)
        { "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n1\tb\tb\tX\t_\t_\t0\troot\t_\t_\n", 2, "expected 2, got 1" },
        // a non-numeric ID
        { "x\ta\ta\tX\t_\t_\t0\troot\t_\t_\n", 1, "the ID column must be a word number" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedInput_NamesTheLineAndTheProblem(string text, int line, string problem)
    {
        var error = Assert.Throws<ConlluFormatException>(() => ConlluParse.Parse(text, "parse.conllu"));

        Assert.Equal(line, error.Line);
        Assert.Equal("parse.conllu", error.SourceName);
        Assert.StartsWith($"parse.conllu:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_NamesTheFileInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sieve-conllu-{Guid.NewGuid():N}.conllu");
        try
        {
            File.WriteAllText(path, "1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n1\tb\tb\tX\t_\t_\t2\troot\t_\t_\n");
            var error = Assert.Throws<ConlluFormatException>(() => ConlluParse.ReadFile(path));
            Assert.StartsWith($"{path}:3: head 2 of word 1 is out of range", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
