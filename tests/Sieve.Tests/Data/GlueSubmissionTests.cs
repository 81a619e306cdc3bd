// GLUE submission files: the names the server expects, `index\tprediction`, label names, STS-B clipped to 0..5.
using Sieve.Data;

namespace Sieve.Tests.Data;

public sealed class GlueSubmissionTests
{
    [Fact]
    public void Mnli_MismatchedTest_WritesMnliMm_WithLabelNamesAndTheFileIndex()
    {
        using var folder = new TempFolder();
        var task = TaskDefinition.For(TaskKind.Mnli);
        var test = new SplitData(DataSplit.TestMismatched, "test_mismatched.tsv",
            [new Example("a", "b", null, null, 2, "17"), new Example("c", "d", null, null, 3, "18")], []);
        var path = GlueSubmission.Write(task, test, [2, 0], folder.Path);
        Assert.Equal("MNLI-mm.tsv", Path.GetFileName(path));
        Assert.Equal("index\tprediction\n17\tneutral\n18\tcontradiction\n", File.ReadAllText(path));
        Assert.Equal("MNLI-m.tsv", GlueSubmission.FileName(task, DataSplit.Test));
    }

    [Fact]
    public void Stsb_ClipsScoresTo0To5()
    {
        using var folder = new TempFolder();
        var test = new SplitData(DataSplit.Test, "test.tsv",
            [new Example("a", "b", null, null, 2, "0"), new Example("c", "d", null, null, 3, "1"), new Example("e", "f", null, null, 4, "2")], []);
        var path = GlueSubmission.Write(TaskDefinition.For(TaskKind.Stsb), test, [-0.4, 5.7, 3.25], folder.Path);
        Assert.Equal("STS-B.tsv", Path.GetFileName(path));
        Assert.Equal("index\tprediction\n0\t0.000\n1\t5.000\n2\t3.250\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(TaskKind.Cola, "CoLA.tsv")]
    [InlineData(TaskKind.Sst2, "SST-2.tsv")]
    [InlineData(TaskKind.Rte, "RTE.tsv")]
    [InlineData(TaskKind.Qqp, "QQP.tsv")]
    [InlineData(TaskKind.Wnli, "WNLI.tsv")]
    public void TestSplit_HasGluesFileName(TaskKind kind, string name) =>
        Assert.Equal(name, GlueSubmission.FileName(TaskDefinition.For(kind), DataSplit.Test));

    [Fact]
    public void DevSplit_IsNotSubmittable_AndWrongCountsAreRefused()
    {
        var task = TaskDefinition.For(TaskKind.Rte);
        Assert.Throws<ArgumentException>(() => GlueSubmission.FileName(task, DataSplit.Dev));
        var test = new SplitData(DataSplit.Test, "test.tsv", [new Example("a", "b", null, null, 2, "0")], []);
        using var folder = new TempFolder();
        Assert.Throws<ArgumentException>(() => GlueSubmission.Write(task, test, [0, 1], folder.Path));
        Assert.Throws<ArgumentOutOfRangeException>(() => GlueSubmission.Write(task, test, [2], folder.Path));
    }
}
