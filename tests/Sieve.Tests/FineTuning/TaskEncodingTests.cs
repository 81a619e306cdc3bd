// Task examples become model inputs with the task's own tokenization and the pattern context of their tokens; batches
// pad to their longest example.
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.TestSupport;
using Sieve.Tokenization;

namespace Sieve.Tests.FineTuning;

public sealed class TaskEncodingTests
{
    [Fact]
    public void GluePair_GetsWordPieceIdsSegmentsAndItsPatternContext()
    {
        var tokenizer = SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"));
        var encoder = TaskEncoder.For(TaskDefinition.Parse("rte"), tokenizer, maxLength: 16);
        var encoded = encoder.Encode(new Example("Hello, world!", "Hello.", 1, null, 2), index: 7);
        // [CLS] hello , world ! [SEP] hello . [SEP] (ids looked up in vocab.txt: line number − 1)
        Assert.Equal([101, 7592, 1010, 2088, 999, 102, 7592, 1012, 102], encoded.InputIds);
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1], encoded.TokenTypeIds);
        Assert.Equal(1.0, encoded.Target);
        Assert.Equal(9, encoded.Context.Length);
        Assert.Equal(7, encoded.Context.Example);
        Assert.Equal([0, 5, 8], encoded.Context.SpecialTokens);
        Assert.Equal([-1, 0, 1, 2, 3, -1, 4, 5, -1], encoded.Context.WordIds);
        Assert.Equal(30522, encoder.VocabularySize);
    }

    [Fact]
    public void ListOpsAndBytes_BringTheirOwnTokenization_WithClsFirstAndTruncation()
    {
        var listops = TaskEncoder.For(TaskDefinition.Parse("listops"), null, maxLength: 6).Encode(new Example("( [MAX 2 9 ) ]", null, 9, null, 1), 0);
        Assert.Equal([1, 14, 5, 12, 17], listops.InputIds);   // [CLS] [MAX 2 9 X (ids: 13 [MIN, 14 [MAX, digits from 3, 17 X)
        Assert.Equal([0], listops.Context.SpecialTokens);
        var bytes = TaskEncoder.For(TaskDefinition.Parse("text"), null, maxLength: 4).Encode(new Example("abcdef", null, 0, null, 1), 3);
        Assert.Equal([1, 'a' + 3, 'b' + 3, 'c' + 3], bytes.InputIds);
        Assert.Equal(3, bytes.Context.Example);
    }

    [Fact]
    public void TextOnAWordPieceModel_IsReadInWordPieces_AndListOpsKeepsItsSymbols()
    {
        // A pre-trained encoder fed byte ids would read arbitrary rows of its embedding table.
        var tokenizer = SieveTokenizer.Create(Fixtures.PathOf("vocab/bert-base-uncased/vocab.txt"));
        var text = TaskEncoder.For(TaskDefinition.Parse("text"), tokenizer, maxLength: 16);
        var encoded = text.Encode(new Example("Hello, world!", null, 1, null, 1), 0);
        Assert.True(text.UsesWordPiece);
        Assert.Equal([101, 7592, 1010, 2088, 999, 102], encoded.InputIds);
        Assert.Equal(30522, text.VocabularySize);
        Assert.Equal(tokenizer.PadTokenId, text.PadId);
        var listops = TaskEncoder.For(TaskDefinition.Parse("listops"), tokenizer, maxLength: 6);
        Assert.False(listops.UsesWordPiece);
        Assert.Equal([1, 14, 5, 12, 17], listops.Encode(new Example("( [MAX 2 9 ) ]", null, 9, null, 1), 0).InputIds);
    }

    [Fact]
    public void GlueWithoutAVocabulary_IsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskEncoder.For(TaskDefinition.Parse("sst2"), null, 128));
        Assert.Contains("--vocab", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collate_PadsToTheLongest_MasksPadding_AndTypesTheTargets()
    {
        var context = new Sieve.Patterns.PatternContext(3);
        EncodedExample[] examples =
        [
            new([1, 5, 6], [0, 0, 0], context, 2),
            new([1, 7], [0, 1], new Sieve.Patterns.PatternContext(2), 0),
        ];
        using var batch = TaskBatch.Collate(examples, padId: 0, regression: false);
        Assert.Equal(new long[] { 1, 5, 6, 1, 7, 0 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 0 }, batch.TokenTypeIds.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0 }, batch.AttentionMask.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 0 }, batch.Targets.data<long>().ToArray());
        Assert.Equal(5, batch.Tokens);
        using var scores = TaskBatch.Collate([examples[0] with { Target = 3.5 }], padId: 0, regression: true);
        Assert.Equal([3.5f], scores.Targets.data<float>().ToArray());
    }
}
