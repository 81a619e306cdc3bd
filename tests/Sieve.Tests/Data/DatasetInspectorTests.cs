// Inspection: nearest-rank length percentiles, label counts in class order, STS-B score bins, ListOps lengths in tokens.
using Sieve.Data;

namespace Sieve.Tests.Data;

public sealed class DatasetInspectorTests
{
    [Fact]
    public void LengthSummary_IsNearestRank()
    {
        var summary = LengthSummary.Of("words", Enumerable.Range(1, 100).Reverse().ToArray())!;
        Assert.Equal(new LengthSummary("words", 1, 50, 90, 95, 99, 100, 50.5), summary);
        // Three values: p50 is the 2nd smallest (⌈1.5⌉), p90..p99 the largest.
        Assert.Equal(new LengthSummary("t", 2, 5, 9, 9, 9, 9, 16 / 3.0), LengthSummary.Of("t", [9, 2, 5]));
        Assert.Null(LengthSummary.Of("t", []));
    }

    [Fact]
    public void Inspect_Stsb_BinsScores_AndUsesTheGivenLength()
    {
        using var folder = new TempFolder();
        var header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n";
        string Row(string a, string b, string score) => $"0\tg\tf\ty\to\tn\tn\t{a}\t{b}\t{score}\n";
        folder.Write("dev.tsv", header + Row("a", "bb", "0.2") + Row("ccc", "d", "5.000") + Row("e", "f", "4.0") + Row("gg", "h", "1.0"));
        var report = Assert.Single(DatasetInspector.Inspect(TaskDefinition.For(TaskKind.Stsb), folder.Path, "chars", (a, b) => a.Length + b!.Length));
        Assert.Equal(4, report.Examples);
        Assert.Equal([1, 1, 0, 0, 2], report.Labels.Select(l => l.Value)); // 0.2 | 1.0 | – | – | 4.0, 5.0
        Assert.Equal("[4,5]", report.Labels[^1].Key);
        Assert.Equal(3, report.Lengths!.P50);
        Assert.Equal(4, report.Lengths.Max);
    }

    [Fact]
    public void OwnTokenization_ListOpsCountsTokensWithCls_TextCountsBytesWithCls_GlueHasNone()
    {
        var listops = DatasetInspector.OwnTokenization(TaskDefinition.For(TaskKind.ListOps))!.Value;
        Assert.Equal(("tokens", 5), (listops.Unit, listops.Length("( ( ( [MAX 2 ) 9 ) ] )", null)));
        var text = DatasetInspector.OwnTokenization(TaskDefinition.For(TaskKind.Text))!.Value;
        Assert.Equal(("bytes", 4), (text.Unit, text.Length("Aé", null)));
        Assert.Null(DatasetInspector.OwnTokenization(TaskDefinition.For(TaskKind.Rte)));
    }
}
