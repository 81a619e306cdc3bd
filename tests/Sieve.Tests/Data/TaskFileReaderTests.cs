// GLUE readers on small synthetic files with the real layouts and quirks (METHODS.md §16): CoLA without a header,
// MRPC with a BOM, STS-B scores and lone quotes, MNLI's label in the last column, test files with an index and no
// label, and malformed rows as errors naming file and line or skipped and counted.
using Sieve.Data;

namespace Sieve.Tests.Data;

public sealed class TaskFileReaderTests
{
    private static SplitData Read(TaskKind kind, DataSplit split, string path, MalformedRowPolicy policy = MalformedRowPolicy.Error)
    {
        var task = TaskDefinition.For(kind);
        return TaskFileReader.Read(task, task.Layout(split)!, path, policy);
    }

    [Fact]
    public void Cola_HasNoHeader_SentenceInColumn3_LabelInColumn1()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.tsv", "gj04\t1\t\tOur friends won't buy this analysis.\ngj04\t0\t*\tThey drank the pub.\n");
        var data = Read(TaskKind.Cola, DataSplit.Train, path);
        Assert.Equal(2, data.Examples.Count); // the first line is data, not a header
        Assert.Equal(new Example("Our friends won't buy this analysis.", null, 1, null, 1), data.Examples[0]);
        Assert.Equal(0, data.Examples[1].Label);
        Assert.Equal(2, data.Examples[1].Line);
    }

    [Fact]
    public void Mrpc_WithByteOrderMark_ReadsHeaderAndPairs()
    {
        using var folder = new TempFolder();
        var path = folder.Write("dev.tsv",
            "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1355540\t1355592\tHe said so.\t\"He did,\" she said.\n0\t2029631\t2029565\tA.\tB.\n",
            byteOrderMark: true);
        var data = Read(TaskKind.Mrpc, DataSplit.Dev, path);
        Assert.Equal(2, data.Examples.Count);
        Assert.Equal(new Example("He said so.", "\"He did,\" she said.", 1, null, 2), data.Examples[0]);
        Assert.Equal(0, data.Examples[1].Label);
    }

    [Fact]
    public void Stsb_ReadsScores_AndKeepsALoneLeadingQuote()
    {
        using var folder = new TempFolder();
        var header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n";
        var path = folder.Write("dev.tsv", header +
            "0\tmain-news\tMSRvid\t2012test\t0001\tnone\tnone\t\"A man with a hard hat is dancing.\tA man wearing a hard hat is dancing.\t5.000\n" +
            "1\tmain-news\tMSRvid\t2012test\t0002\tnone\tnone\tA young child.\tA child \" rides.\t4.750\n");
        var data = Read(TaskKind.Stsb, DataSplit.Dev, path);
        Assert.Equal(2, data.Examples.Count); // a CSV reader would have merged the rows at the lone quote
        Assert.Equal("\"A man with a hard hat is dancing.", data.Examples[0].Text);
        Assert.Equal(5f, data.Examples[0].Score);
        Assert.Null(data.Examples[0].Label);
        Assert.Equal("A child \" rides.", data.Examples[1].TextPair);
        Assert.Equal(4.75f, data.Examples[1].Score);
    }

    [Fact]
    public void MnliDev_LabelIsTheLastColumn()
    {
        using var folder = new TempFolder();
        var header = string.Join('\t', "index promptID pairID genre sentence1_binary_parse sentence2_binary_parse sentence1_parse sentence2_parse sentence1 sentence2 label1 label2 label3 label4 label5 gold_label".Split(' '));
        var row = string.Join('\t', "0", "31193", "31193n", "government", "( ( x ) )", "( y )", "(ROOT x)", "(ROOT y)", "Premise.", "Hypothesis.",
            "neutral", "entailment", "neutral", "neutral", "neutral", "neutral");
        var path = folder.Write("dev_mismatched.tsv", header + "\n" + row + "\n");
        var data = Read(TaskKind.Mnli, DataSplit.DevMismatched, path);
        var example = Assert.Single(data.Examples);
        Assert.Equal("Premise.", example.Text);
        Assert.Equal("Hypothesis.", example.TextPair);
        Assert.Equal(2, example.Label); // contradiction, entailment, neutral
    }

    [Fact]
    public void TestFile_HasIndexAndNoLabel()
    {
        using var folder = new TempFolder();
        var path = folder.Write("test.tsv", "index\tsentence1\tsentence2\n0\tA.\tB.\n1\tC.\tD.\n");
        var data = Read(TaskKind.Rte, DataSplit.Test, path);
        Assert.Equal(["0", "1"], data.Examples.Select(e => e.Id));
        Assert.All(data.Examples, e => Assert.Null(e.Label));
        Assert.False(data.IsLabelled);
    }

    [Fact]
    public void MalformedRow_IsAnErrorNamingFileLineAndProblem()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.tsv", "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n1\t1\t2\tA?\tB?\t0\n2\t3\t4\tC? truncated\n3\t5\t6\tE?\tF?\t1\n");
        var error = Assert.Throws<DataFormatException>(() => Read(TaskKind.Qqp, DataSplit.Train, path));
        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.Line);
        Assert.StartsWith($"{path}:3: expected 6 tab-separated fields, found 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedRow_UnderSkip_IsLeftOutAndCounted()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.tsv", "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n1\t1\t2\tA?\tB?\t0\n2\t3\t4\tC? truncated\n3\t5\t6\tE?\tF?\tyes\n4\t7\t8\tG?\tH?\t1\n");
        var data = Read(TaskKind.Qqp, DataSplit.Train, path, MalformedRowPolicy.Skip);
        Assert.Equal([2, 5], data.Examples.Select(e => e.Line));
        Assert.Equal([3, 4], data.Skipped.Select(s => s.Line));
        Assert.Contains("found 4", data.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Equal("the label 'yes' is not one of 0, 1", data.Skipped[1].Reason);
    }

    [Fact]
    public void BadScore_IsAnError()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.tsv", "i\tg\tf\ty\to\ts1\ts2\tsentence1\tsentence2\tscore\n0\tg\tf\ty\to\tn\tn\tA\tB\tfive\n");
        var error = Assert.Throws<DataFormatException>(() => Read(TaskKind.Stsb, DataSplit.Train, path));
        Assert.Equal(2, error.Line);
        Assert.Contains("the score 'five' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderWithTooFewColumns_SaysItMayBeTheWrongFile()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train.tsv", "sentence\tlabel\nx\t1\n");
        var error = Assert.Throws<DataFormatException>(() => Read(TaskKind.Rte, DataSplit.Train, path));
        Assert.Equal(1, error.Line);
        Assert.Contains("right file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTask_ReadsThePresentSplits_AndNamesTheFilesWhenNoneIs()
    {
        using var folder = new TempFolder();
        folder.Write("dev.tsv", "sentence\tlabel\ngood .\t1\n");
        var splits = TaskFileReader.ReadTask(TaskDefinition.For(TaskKind.Sst2), folder.Path);
        Assert.Equal(DataSplit.Dev, Assert.Single(splits).Split);
        var error = Assert.Throws<FileNotFoundException>(() => TaskFileReader.ReadTask(TaskDefinition.For(TaskKind.Mnli), folder.Path));
        Assert.Contains("dev_matched.tsv", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sst2", TaskKind.Sst2)]
    [InlineData("SST-2", TaskKind.Sst2)]
    [InlineData("sts-b", TaskKind.Stsb)]
    [InlineData("ListOps", TaskKind.ListOps)]
    [InlineData("text", TaskKind.Text)]
    public void Parse_AcceptsTheCommandLineNames(string name, TaskKind kind) => Assert.Equal(kind, TaskDefinition.Parse(name).Kind);

    [Fact]
    public void Parse_UnknownName_ListsTheTasks()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskDefinition.Parse("imdb"));
        Assert.Contains("cola, sst2, mrpc, stsb, qqp, mnli, qnli, rte, wnli, listops, text", error.Message, StringComparison.Ordinal);
    }
}
