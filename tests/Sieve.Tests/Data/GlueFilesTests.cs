// The real GLUE RTE and SST-2 files in ../shared/data: example counts and label distributions counted independently
// (wc -l minus the header; awk over the last column), and a row with a lone `"` read verbatim.
using Sieve.Data;
using Sieve.TestSupport;

namespace Sieve.Tests.Data;

public sealed class GlueFilesTests
{
    [SharedDataTheory]
    [InlineData(TaskKind.Rte, "glue/RTE", DataSplit.Train, 2490, new[] { 1249, 1241 })] // entailment, not_entailment
    [InlineData(TaskKind.Rte, "glue/RTE", DataSplit.Dev, 277, new[] { 146, 131 })]
    [InlineData(TaskKind.Sst2, "glue/SST-2", DataSplit.Train, 67349, new[] { 29780, 37569 })] // 0, 1
    [InlineData(TaskKind.Sst2, "glue/SST-2", DataSplit.Dev, 872, new[] { 428, 444 })]
    public void RealFiles_HaveTheCountedExamplesAndLabels(TaskKind kind, string folder, DataSplit split, int examples, int[] perLabel)
    {
        var task = TaskDefinition.For(kind);
        var data = TaskFileReader.ReadTask(task, SharedData.PathOf(folder)).Single(s => s.Split == split);
        Assert.Equal(examples, data.Examples.Count);
        Assert.Empty(data.Skipped);
        Assert.Equal(perLabel, Enumerable.Range(0, task.LabelNames!.Count).Select(label => data.Examples.Count(e => e.Label == label)));
    }

    [SharedDataFact]
    public void RteDev_RowWithALoneQuote_IsReadVerbatim_AndDoesNotSwallowTheNext()
    {
        var task = TaskDefinition.For(TaskKind.Rte);
        var data = TaskFileReader.Read(task, task.Layout(DataSplit.Dev)!, SharedData.PathOf("glue/RTE/dev.tsv"));
        // Line 8 (index 6): `… cited irreconcilable differences" as the reason …` has one quote, never closed.
        var example = data.Examples.Single(e => e.Line == 8);
        Assert.StartsWith("singer and actress Britney Spears, 24,", example.Text, StringComparison.Ordinal);
        Assert.Contains("irreconcilable differences\" as the reason", example.Text, StringComparison.Ordinal);
        Assert.Single(example.Text, c => c == '"');
        Assert.Equal("Spears is to divorce from Kevin Federline.", example.TextPair);
        Assert.Equal(0, example.Label); // entailment
        var next = data.Examples.First(e => e.Line > 8);
        Assert.Equal(9, next.Line);
        Assert.StartsWith("Following the successful bid to bring the 2010 Ryder Cup", next.Text, StringComparison.Ordinal);
    }
}
