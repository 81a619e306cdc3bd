// Splits are checked before training (issue 16): an empty or all-malformed dev.tsv, or an empty train.tsv, stops the
// run before its first step, naming the file, instead of after the training it would have cost.
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Tests.Pretraining;
using Sieve.Tests.Training;
using Sieve.Training;

namespace Sieve.Tests.FineTuning;

[Collection(GlobalRandomCollection.Name)]
public sealed class UnusableSplitTests : IDisposable
{
    private readonly PretrainTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private FineTuneOptions Options(string data) => new()
    {
        Task = TaskDefinition.Parse("rte"),
        DataDirectory = data,
        ConfigPath = _files.ConfigPath,
        VocabPath = _files.VocabPath,
        MaxLength = 24,
        BatchSize = 4,
        SkipMalformedRows = true,
        Trainer = new TrainerOptions { OutputDir = Path.Combine(_files.Path, "run"), MaxSteps = 2, SaveSteps = 1, TensorBoard = false, MetricForBestModel = "accuracy" },
    };

    [Theory]
    [InlineData("dev.tsv", "index\tsentence1\tsentence2\tlabel\n", "no usable row;")]
    [InlineData("dev.tsv", "index\tsentence1\tsentence2\tlabel\n0\tw1\tw2\tmaybe\n1\tonly two\n", "(2 malformed, skipped)")]
    [InlineData("train.tsv", "index\tsentence1\tsentence2\tlabel\n", "no usable row;")]
    public void AnUnusableSplit_StopsTheRunBeforeItsFirstStep(string file, string contents, string expected)
    {
        var data = _files.RteFolder(train: 8, dev: 4);
        File.WriteAllText(Path.Combine(data, file), contents);

        var e = Assert.Throws<InvalidDataException>(() => FineTuneJob.Run(Options(data)));

        Assert.Contains(Path.Combine(data, file), e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Empty(TrainerCheckpoint.List(Path.Combine(_files.Path, "run")));
    }

    [Fact]
    public void NoEvaluationExampleAsked_IsRefusedBeforeTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => FineTuneJob.Run(Options(_files.RteFolder(train: 8, dev: 4)) with { MaxEvalExamples = 0 }));
        Assert.Contains("--max-eval-examples 0", e.Message, StringComparison.Ordinal);
    }
}
