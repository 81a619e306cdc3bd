// ListOps (LRA, METHODS.md §15.1): hand-evaluated expressions (MED truncated, SM mod 10), LRA's parenthesised text form,
// its tokenization, and the generator's bounds, de-duplication, seeding and targets.
using Sieve.Data;
using Sieve.Data.ListOps;

namespace Sieve.Tests.Data;

public sealed class ListOpsTests
{
    private static readonly ListOpsOptions _small = new()
    {
        MaxDepth = 6,
        MaxArguments = 5,
        MinLength = 20,
        MaxLength = 60,
        TrainCount = 300,
        ValidationCount = 40,
        TestCount = 40,
        Seed = 7,
    };

    [Theory]
    [InlineData("[MAX 2 9 [MIN 4 7 ] 0 ]", 9)]
    [InlineData("[MIN 4 7 ]", 4)]
    [InlineData("[MED 1 2 3 4 ]", 2)] // median 2.5, truncated
    [InlineData("[MED 3 9 1 ]", 3)]
    [InlineData("[MED 8 9 ]", 8)] // 8.5 → 8
    [InlineData("[SM 9 8 7 ]", 4)] // 24 mod 10
    [InlineData("[SM [MAX 5 6 ] [MED 1 9 ] ]", 1)] // 6 + 5 = 11 → 1
    [InlineData("( ( ( [MAX 2 ) 9 ) ] )", 9)] // LRA's form
    [InlineData("7", 7)]
    public void Evaluate_MatchesHandValues(string source, int value) => Assert.Equal(value, ListOpsNode.Parse(source).Evaluate());

    [Fact]
    public void ToString_IsLrasNestedPairForm_AndLengthCountsTokensWithoutParentheses()
    {
        var inner = ListOpsNode.Apply(ListOpsOperator.Min, [ListOpsNode.Leaf(4), ListOpsNode.Leaf(7)]);
        var tree = ListOpsNode.Apply(ListOpsOperator.Max, [ListOpsNode.Leaf(2), ListOpsNode.Leaf(9), inner, ListOpsNode.Leaf(0)]);
        Assert.Equal("( ( ( [MAX 2 ) 9 ) ] )", ListOpsNode.Apply(ListOpsOperator.Max, [ListOpsNode.Leaf(2), ListOpsNode.Leaf(9)]).ToString());
        Assert.Equal("( ( ( ( ( [MAX 2 ) 9 ) ( ( ( [MIN 4 ) 7 ) ] ) ) 0 ) ] )", tree.ToString());
        // [MAX 2 9 [MIN 4 7 ] 0 ]: 9 tokens (2 + 1 + 1 + (2 + 2) + 1).
        Assert.Equal(9, tree.Length);
        Assert.Equal(["[MAX", "2", "9", "[MIN", "4", "7", "X", "0", "X"], ListOpsTokenizer.Tokens(tree.ToString()));
    }

    [Fact]
    public void Encode_PutsClsFirst_UsesTheDocumentedIds_AndPads()
    {
        // [CLS]=1, [MAX=14, 2→5, 9→12, [MIN=13, 4→7, 7→10, X=17, 0→3.
        Assert.Equal([1, 14, 5, 12, 13, 7, 10, 17, 3, 17], ListOpsTokenizer.Encode("[MAX 2 9 [MIN 4 7 ] 0 ]"));
        Assert.Equal([1, 14, 5, 12, 17, 0, 0], ListOpsTokenizer.EncodePadded("( ( ( [MAX 2 ) 9 ) ] )", 7));
        Assert.Equal([1, 14, 5], ListOpsTokenizer.EncodePadded("( ( ( [MAX 2 ) 9 ) ] )", 3));
        Assert.Equal(ListOpsTokenizer.VocabularySize, ListOpsTokenizer.Vocabulary.Count);
        Assert.Equal("[SM", ListOpsTokenizer.Vocabulary[ListOpsTokenizer.OperatorBaseId + (int)ListOpsOperator.Sm]);
        Assert.Equal("9", ListOpsTokenizer.Vocabulary[ListOpsTokenizer.DigitBaseId + 9]);
        var error = Assert.Throws<FormatException>(() => ListOpsTokenizer.Encode("[MAX 2 [FIRST 3 ] ]"));
        Assert.Contains("'[FIRST'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[MAX 2 9")]
    [InlineData("[MAX 2 ]")]
    [InlineData("[MAX 2 9 ] 3")]
    [InlineData("[MAX 2 10 ]")]
    public void Parse_RejectsMalformedExpressions(string source) => Assert.Throws<FormatException>(() => ListOpsNode.Parse(source));

    [Fact]
    public void Generate_RespectsBoundsDepthArgumentsAndIsDistinct()
    {
        var sets = ListOpsGenerator.Generate(_small);
        Assert.Equal(300, sets.Train.Count);
        Assert.Equal(40, sets.Validation.Count);
        Assert.Equal(40, sets.Test.Count);
        var all = sets.Train.Concat(sets.Validation).Concat(sets.Test).ToArray();
        Assert.Equal(all.Length, all.Select(t => t.ToString()).Distinct().Count());
        foreach (var tree in all)
        {
            var text = tree.ToString();
            // The length LRA bounds is the token count once parentheses go (strict bounds).
            Assert.Equal(tree.Length, ListOpsTokenizer.Tokens(text).Count);
            Assert.InRange(tree.Length, 21, 59);
            Assert.True(Depth(tree) <= 6);
            Assert.True(MaxArguments(tree) <= 5);
            // The text form parses back to the same expression, and its value is what the file will say.
            var reparsed = ListOpsNode.Parse(text);
            Assert.Equal(text, reparsed.ToString());
            Assert.Equal(Reference(tree), reparsed.Evaluate());
        }
        Assert.All(Enum.GetValues<ListOpsOperator>(), op => Assert.Contains(all, t => t.Operator == op));
    }

    [Fact]
    public void Generate_IsDeterministicInTheSeed()
    {
        var a = ListOpsGenerator.Generate(_small with { TrainCount = 50, ValidationCount = 0, TestCount = 0 });
        var b = ListOpsGenerator.Generate(_small with { TrainCount = 50, ValidationCount = 0, TestCount = 0 });
        var c = ListOpsGenerator.Generate(_small with { TrainCount = 50, ValidationCount = 0, TestCount = 0, Seed = 8 });
        Assert.Equal(a.Train.Select(t => t.ToString()), b.Train.Select(t => t.ToString()));
        Assert.NotEqual(a.Train.Select(t => t.ToString()), c.Train.Select(t => t.ToString()));
    }

    [Fact]
    public void Generate_ImpossibleBounds_AreRefusedWithAReason()
    {
        Assert.Throws<ArgumentException>(() => ListOpsGenerator.Generate(_small with { MinLength = 10, MaxLength = 11 }));
        // Depth 2 and 3 arguments give at most 2 + 3 = 5 tokens: no tree is longer than 5.
        var error = Assert.Throws<InvalidOperationException>(() =>
            ListOpsGenerator.Generate(_small with { MaxDepth = 2, MaxArguments = 3, MinLength = 5, MaxLength = 100, TrainCount = 1, ValidationCount = 0, TestCount = 0 }));
        Assert.Contains("widen the length range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLra_ThenRead_RoundTrips_AndTheOriginalLayoutReadsToo()
    {
        using var folder = new TempFolder();
        var sets = ListOpsGenerator.Generate(_small with { TrainCount = 20, ValidationCount = 5, TestCount = 5 });
        var paths = ListOpsGenerator.WriteLra(sets, folder.Path);
        Assert.Equal(["basic_train.tsv", "basic_val.tsv", "basic_test.tsv"], paths.Select(Path.GetFileName));
        Assert.StartsWith("Source\tTarget\n", File.ReadAllText(paths[0]), StringComparison.Ordinal);
        var train = ListOpsFile.Read(paths[0], DataSplit.Train);
        Assert.Equal(sets.Train.Select(t => t.ToString()), train.Examples.Select(e => e.Text));
        Assert.Equal(sets.Train.Select(Reference), train.Examples.Select(e => e.Label!.Value));
        // The task reader finds the three LRA files by name.
        Assert.Equal([DataSplit.Train, DataSplit.Dev, DataSplit.Test], TaskFileReader.ReadTask(TaskDefinition.For(TaskKind.ListOps), folder.Path).Select(s => s.Split));

        var original = folder.Write("train_d20s.tsv", "9\t( ( ( [MAX 2 ) 9 ) ] )\n4\t( ( ( [MIN 4 ) 7 ) ] )\n");
        var read = ListOpsFile.Read(original, DataSplit.Train, ListOpsFormat.Original);
        Assert.Equal([9, 4], read.Examples.Select(e => e.Label!.Value));
        Assert.Equal("( ( ( [MIN 4 ) 7 ) ] )", read.Examples[1].Text);
    }

    [Fact]
    public void Read_WrongTarget_IsAnError_OrSkippedAndCounted()
    {
        using var folder = new TempFolder();
        var path = folder.Write("basic_val.tsv", "Source\tTarget\n( ( ( [MAX 2 ) 9 ) ] )\t9\n( ( ( [MIN 4 ) 7 ) ] )\t7\n( ( [SM 4 ) ] )\t4\n");
        var error = Assert.Throws<DataFormatException>(() => ListOpsFile.Read(path, DataSplit.Dev));
        Assert.Equal(3, error.Line);
        Assert.Contains("the target is 7 but the expression evaluates to 4", error.Message, StringComparison.Ordinal);
        var data = ListOpsFile.Read(path, DataSplit.Dev, policy: MalformedRowPolicy.Skip);
        Assert.Single(data.Examples);
        Assert.Equal([3, 4], data.Skipped.Select(s => s.Line));
    }

    // An evaluator written independently of ListOpsNode.Evaluate: over the token list, with a stack.
    private static int Reference(ListOpsNode tree)
    {
        var stack = new Stack<List<int>>();
        var ops = new Stack<string>();
        int result = -1;
        foreach (var token in ListOpsTokenizer.Tokens(tree.ToString()))
        {
            if (token.StartsWith('['))
            {
                ops.Push(token);
                stack.Push([]);
                continue;
            }
            int value;
            if (token == "X")
            {
                var args = stack.Pop().Order().ToList();
                value = ops.Pop() switch
                {
                    "[MIN" => args[0],
                    "[MAX" => args[^1],
                    "[SM" => args.Sum() % 10,
                    _ => (int)Math.Floor(args.Count % 2 == 1 ? args[args.Count / 2] : (args[args.Count / 2 - 1] + args[args.Count / 2]) / 2.0),
                };
            }
            else
            {
                value = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (stack.Count == 0) result = value;
            else stack.Peek().Add(value);
        }
        return result;
    }

    private static int Depth(ListOpsNode node) => node.Operator is null ? 1 : 1 + node.Arguments.Max(Depth);

    private static int MaxArguments(ListOpsNode node) => node.Operator is null ? 0 : Math.Max(node.Arguments.Count, node.Arguments.Max(MaxArguments));
}
