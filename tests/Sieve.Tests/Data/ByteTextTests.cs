// Byte-level text (LRA Text style, METHODS.md §15.2): UTF-8 bytes + 3 as ids after [CLS], truncated then padded;
// raw MLM text one line per example.
using Sieve.Data;

namespace Sieve.Tests.Data;

public sealed class ByteTextTests
{
    [Fact]
    public void Encode_IsClsThenBytesPlusOffset_MultiByteCharactersGiveSeveralIds()
    {
        // 'A' = 65 → 68, 'é' = C3 A9 → 198, 172.
        Assert.Equal([1, 68, 198, 172], ByteTextEncoder.Encode("Aé"));
        Assert.Equal(4, ByteTextEncoder.Length("Aé"));
        Assert.Equal("Aé", ByteTextEncoder.Decode(ByteTextEncoder.Encode("Aé")));
    }

    [Fact]
    public void EncodePadded_TruncatesThenPads()
    {
        Assert.Equal([1, 100, 101, 0, 0], ByteTextEncoder.EncodePadded("ab", 5)); // 'a' = 97
        Assert.Equal([1, 100], ByteTextEncoder.EncodePadded("abc", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ByteTextEncoder.Encode("a", 0));
    }

    [Fact]
    public void TextTask_ReadsAnyTextLabelFile_WithIntegerLabels()
    {
        using var folder = new TempFolder();
        folder.Write("train.tsv", "text\tlabel\nA great film \"really\".\t1\nDull.\t0\n");
        var data = Assert.Single(TaskFileReader.ReadTask(TaskDefinition.For(TaskKind.Text), folder.Path));
        Assert.Equal([1, 0], data.Examples.Select(e => e.Label!.Value));
        Assert.Equal("A great film \"really\".", data.Examples[0].Text);
        folder.Write("dev.tsv", "text\tlabel\nx\tpositive\n");
        var error = Assert.Throws<DataFormatException>(() => TaskFileReader.ReadTask(TaskDefinition.For(TaskKind.Text), folder.Path));
        Assert.Contains("dev.tsv:2: the label 'positive' is not a non-negative integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RawText_IsOneExamplePerNonBlankLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("corpus.txt", "First document.\r\n\nSecond\tone, with a tab.\n   \nThird", byteOrderMark: true);
        var examples = RawTextReader.Read(path).ToArray();
        Assert.Equal(["First document.", "Second\tone, with a tab.", "Third"], examples.Select(e => e.Text));
        Assert.Equal([1, 3, 5], examples.Select(e => e.Line));
        Assert.All(examples, e => Assert.Null(e.Label));
    }
}
