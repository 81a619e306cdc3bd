// The long-document task's generator (issue 14): every document is filler with its needle starting past the minimum
// offset, takes the needle's label, fits the token budget, uses each needle once, and the same seed gives the same
// documents. Tokens here are whitespace words, so a document's word positions are its token positions.
using Sieve.Data;

namespace Sieve.Tests.Data;

public sealed class LongDocumentGeneratorTests
{
    private static readonly LongDocumentOptions _options = new() { Tokens = 300, MinOffset = 100, MinNeedleWords = 3, Seed = 5 };

    // 60 needles "review i good|bad …" with label i % 2, and 200 filler sentences of 3 to 12 words.
    private static readonly Example[] _needles = [.. Enumerable.Range(0, 60).Select(i => new Example($"review{i} is {(i % 2 == 1 ? "good" : "bad")} indeed", null, i % 2, null, i + 2))];
    private static readonly string[] _filler = [.. Enumerable.Range(0, 200).Select(i => string.Join(' ', Enumerable.Range(0, 3 + (i % 10)).Select(j => $"news{i}_{j}")))];

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    private static IReadOnlyList<LongDocument> Generate(int count, LongDocumentOptions? options = null, int seed = 5) =>
        LongDocumentGenerator.Generate(_needles, _filler, count, Words, options ?? _options, new Random(seed));

    [Fact]
    public void EveryDocument_HoldsItsNeedlePastTheOffset_WithItsLabel_WithinTheBudget()
    {
        var documents = Generate(50);
        Assert.Equal(50, documents.Count);
        foreach (var d in documents)
        {
            var words = d.Text.Split(' ');
            Assert.Equal(d.Tokens, words.Length + 2);                       // [CLS] … [SEP]
            Assert.InRange(d.Tokens, _options.Tokens - 12, _options.Tokens);  // filled to within one filler sentence
            Assert.True(d.NeedleToken >= _options.MinOffset, $"needle at {d.NeedleToken}");
            var needle = string.Join(' ', words.Skip(d.NeedleToken - 1).Take(d.NeedleTokens));   // token t is word t − 1
            var source = Assert.Single(_needles, n => n.Text == needle);
            Assert.Equal(source.Label, d.Label);
            Assert.Single(words, w => w.StartsWith("review", StringComparison.Ordinal));   // one needle, the rest filler
        }
        Assert.Equal(50, documents.Select(d => d.Text.Split(' ')[d.NeedleToken - 1]).Distinct().Count());   // each needle once
    }

    [Fact]
    public void NeedleOffsets_SpreadOverTheDocument_AndBothLabelsOccur()
    {
        var offsets = Generate(60).Select(d => d.NeedleToken).ToArray();
        Assert.True(offsets.Min() < 140 && offsets.Max() > 240, $"offsets {offsets.Min()}–{offsets.Max()}");
        Assert.Equal([0, 1], Generate(60).Select(d => d.Label).Distinct().Order());
    }

    [Fact]
    public void TheSameSeed_GivesTheSameDocuments_AnotherSeedOthers()
    {
        Assert.Equal(Generate(10), Generate(10));
        Assert.NotEqual(Generate(10).Select(d => d.Text), Generate(10, seed: 6).Select(d => d.Text));
    }

    [Fact]
    public void TooFewNeedles_OrTooLittleFiller_AreClearErrors()
    {
        var few = Assert.Throws<InvalidOperationException>(() => Generate(61));
        Assert.Contains("only 60", few.Message, StringComparison.Ordinal);

        var thin = Assert.Throws<InvalidOperationException>(() =>
            LongDocumentGenerator.Generate(_needles, ["a b c", "d e f"], 1, Words, _options, new Random(1)));
        Assert.Contains("filler", thin.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(150, 100, 10, 6)]   // no room past the offset
    [InlineData(300, 0, 10, 6)]     // the offset of [CLS]
    [InlineData(300, 100, 0, 6)]    // no documents
    [InlineData(300, 100, 10, 0)]   // no needle words
    public void BadSettings_AreRefusedNamingThem(int tokens, int minOffset, int train, int minWords)
    {
        var options = new LongDocumentOptions { Tokens = tokens, MinOffset = minOffset, TrainCount = train, MinNeedleWords = minWords };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Write_RefusesToOverwrite_AndTheFilesReadAsSst2()
    {
        using var folder = new TempFolder();
        var train = Generate(12);
        var dev = Generate(4, seed: 9);
        var manifest = new LongDocumentManifest("t", "needles", "filler", "words", _options,
            [LongDocumentGenerator.Summarize("train", train), LongDocumentGenerator.Summarize("dev", dev)], "test");
        LongDocumentGenerator.Write(folder.Path, train, dev, manifest);

        var splits = TaskFileReader.ReadTask(TaskDefinition.Parse("sst2"), folder.Path);
        var read = splits.Single(s => s.Split == DataSplit.Train).Examples;
        Assert.Equal(train.Select(d => (d.Text, (int?)d.Label)), read.Select(e => (e.Text, e.Label)));
        Assert.Equal(4, splits.Single(s => s.Split == DataSplit.Dev).Examples.Count);

        var before = File.ReadAllText(Path.Combine(folder.Path, "train.tsv"));
        Assert.Throws<IOException>(() => LongDocumentGenerator.Write(folder.Path, dev, dev, manifest));
        Assert.Equal(before, File.ReadAllText(Path.Combine(folder.Path, "train.tsv")));
    }
}
