// Longformer's position extension (Beltagy et al. 2020, §5) on the tiny-bert fixture: the new table is the old rows
// tiled, every other tensor is bit-identical, config.json and the tokenizer follow, a position_ids buffer grows, the
// extended model gives the original's outputs exactly on inputs it could already read, and the in-memory extension of
// training (TilePositions) loads the same weights as the extended folder.
using System.Text.Json;
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Modeling;
using Sieve.TestSupport;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Tests.Checkpoints;

public sealed class PositionExtensionTests : IDisposable
{
    private const string Table = "bert.embeddings.position_embeddings.weight";
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-extend-").FullName;

    private static string Tiny => Fixtures.PathOf("tiny-bert");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Tile_RepeatsTheRowsAndCutsTheLastCopy()
    {
        using var table = arange(6, dtype: ScalarType.Float32).view(3, 2);   // rows [0 1] [2 3] [4 5]
        using var tiled = PositionTable.Tile(table, 7);
        Assert.Equal([7L, 2L], tiled.shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0, 1], tiled.data<float>().ToArray());
    }

    [Theory]
    [InlineData(40, 40, "already has 40 positions")]
    [InlineData(40, 30, "would drop learned rows")]
    public void CheckExtension_RefusesTheSameSizeAndShrinking(int current, int wanted, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => PositionTable.CheckExtension(current, wanted, "m"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(120)]   // three whole copies
    [InlineData(100)]   // two and a half: the last copy is cut short
    public void Extend_TilesTheTable_KeepsEveryOtherTensorBitIdentical_AndUpdatesTheConfig(int positions)
    {
        var output = Path.Combine(_dir, "extended");
        var result = PositionExtension.Extend(Tiny, output, positions);

        Assert.Equal((40, positions), (result.StoredPositions, result.MaxPositions));
        using var before = SafeTensorsCheckpoint.OpenDirectory(Tiny);
        using var after = SafeTensorsCheckpoint.OpenDirectory(output);
        Assert.Equal(before.Names, after.Names);
        foreach (var name in before.Names)
        {
            using var old = before.Read(name);
            using var now = after.Read(name);
            Assert.Equal(old.dtype, now.dtype);
            if (name != Table)
            {
                Assert.True(Bits(old).SequenceEqual(Bits(now)), $"{name} changed");
                continue;
            }
            Assert.Equal([positions, 16L], now.shape);
            for (int row = 0; row < positions; row++)
                Assert.True(Bits(now[row]).SequenceEqual(Bits(old[row % 40])), $"row {row} is not row {row % 40} of the learned table");
        }

        var expected = BertCheckpoint.ReadConfig(Tiny) with { MaxPositionEmbeddings = positions };
        Assert.Equal(expected.ToJson(), BertCheckpoint.ReadConfig(output).ToJson());
        Assert.Equal(File.ReadAllBytes(Path.Combine(Tiny, "vocab.txt")), File.ReadAllBytes(Path.Combine(output, "vocab.txt")));
        using var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "tokenizer_config.json")));
        Assert.Equal(positions, tokenizer.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Empty(Directory.GetDirectories(_dir, ".*"));   // no staging folder left beside it
    }

    [Fact]
    public void Extend_GrowsAPositionIdsBuffer_AndKeepsTheTokenizerSettings()
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "with-ids")).FullName;
        using (var checkpoint = SafeTensorsCheckpoint.OpenDirectory(Tiny))
        {
            var tensors = checkpoint.Names.ToDictionary(k => k, checkpoint.Read);
            tensors["bert.embeddings.position_ids"] = arange(40, dtype: ScalarType.Int64).unsqueeze(0);   // [1, 40], as transformers < 4.31 saved it
            SafeTensorsWriter.Write(Path.Combine(source, SafeTensorsCheckpoint.SingleFileName), tensors);
            foreach (var t in tensors.Values) t.Dispose();
        }
        File.Copy(Path.Combine(Tiny, "config.json"), Path.Combine(source, "config.json"));
        File.Copy(Path.Combine(Tiny, "vocab.txt"), Path.Combine(source, "vocab.txt"));
        File.WriteAllText(Path.Combine(source, "tokenizer_config.json"), """{"do_lower_case": false, "model_max_length": 40, "custom": "kept"}""");

        var output = Path.Combine(_dir, "extended");
        PositionExtension.Extend(source, output, 80);

        using var after = SafeTensorsCheckpoint.OpenDirectory(output);
        using var ids = after.Read("bert.embeddings.position_ids");
        Assert.Equal([1L, 80L], ids.shape);
        Assert.Equal(Enumerable.Range(0, 80).Select(i => (long)i), ids.data<long>().ToArray());
        using var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "tokenizer_config.json")));
        Assert.False(tokenizer.RootElement.GetProperty("do_lower_case").GetBoolean());
        Assert.Equal(80, tokenizer.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Equal("kept", tokenizer.RootElement.GetProperty("custom").GetString());
    }

    [Fact]
    public void Extend_RefusesANonEmptyOutputAndShrinking_WritingNothing()
    {
        var output = Directory.CreateDirectory(Path.Combine(_dir, "taken")).FullName;
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");
        var taken = Assert.Throws<ArgumentException>(() => PositionExtension.Extend(Tiny, output, 80));
        Assert.Contains("not empty", taken.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(output).Select(Path.GetFileName));

        var fresh = Path.Combine(_dir, "fresh");
        Assert.Throws<ArgumentException>(() => PositionExtension.Extend(Tiny, fresh, 20));
        Assert.False(Directory.Exists(fresh));
        Assert.Empty(Directory.GetDirectories(_dir, ".*"));
    }

    [Fact]
    public void TheExtendedModel_GivesTheOriginalsOutputs_OnAShortInput_Exactly()
    {
        var output = Path.Combine(_dir, "extended");
        PositionExtension.Extend(Tiny, output, 160);
        using var original = BertCheckpoint.LoadForSequenceClassification(Tiny, out _);
        using var extended = BertCheckpoint.LoadForSequenceClassification(output, out _);
        Assert.Equal(160, extended.Config.MaxPositionEmbeddings);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 2, 7, 9, 11, 13, 17, 3, 0, 0, 2, 8, 8, 8, 3, 0, 0 }).view(2, 8);   // [2, 8]
        var mask = ids.ne(0).to_type(ScalarType.Int64);                                                       // [2, 8]
        var a = original.Bert.forward(ids, attentionMask: mask);
        var b = extended.Bert.forward(ids, attentionMask: mask);
        Assert.True(Same(a.LastHiddenState, b.LastHiddenState));
        Assert.True(Same(a.PoolerOutput!, b.PoolerOutput!));
        Assert.True(Same(original.forward(ids, attentionMask: mask), extended.forward(ids, attentionMask: mask)));

        // And it reads what the original cannot: 150 tokens, past its 40 positions.
        var longIds = full(1, 150, 9L, dtype: ScalarType.Int64);   // [1, 150]
        Assert.Equal([1L, 150L, 16L], extended.Bert.forward(longIds).LastHiddenState.shape);
    }

    [Fact]
    public void TilePositions_LoadsWhatTheExtendedFolderHolds_AndIsNeededForALongerModel()
    {
        var output = Path.Combine(_dir, "extended");
        PositionExtension.Extend(Tiny, output, 96);
        var config = BertCheckpoint.ReadConfig(Tiny) with { MaxPositionEmbeddings = 96 };
        using var inMemory = new BertForSequenceClassification(config);
        BertCheckpoint.LoadWeights(inMemory, Tiny, new CheckpointLoadOptions { TilePositions = true });
        using var fromFolder = BertCheckpoint.LoadForSequenceClassification(output, out _);
        var expected = fromFolder.state_dict();
        foreach (var (key, value) in inMemory.state_dict()) Assert.True(Same(value, expected[key]), key);

        using var refused = new BertForSequenceClassification(config);
        var error = Assert.Throws<CheckpointException>(() => BertCheckpoint.LoadWeights(refused, Tiny));
        Assert.Contains("position_embeddings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FineTuning_WithMaxPositions_TrainsOnLongerInputs_AndSavesTheLongerModel()
    {
        var source = TinyWithoutClassifier();
        FineTuneOptions Options(string run, int? positions) => new()
        {
            Task = TaskDefinition.Parse("rte"),
            DataDirectory = Fixtures.PathOf("glue/RTE"),
            ModelDirectory = source,
            MaxLength = 72,
            MaxPositions = positions,
            Pattern = "local(2)+global(1)",
            BatchSize = 4,
            MaxTrainExamples = 4,
            MaxEvalExamples = 4,
            Trainer = new TrainerOptions { OutputDir = Path.Combine(_dir, run), MaxSteps = 1, Seed = 5, TensorBoard = false },
        };

        var refused = Assert.Throws<ArgumentException>(() => FineTuneJob.Run(Options("short", null)));
        Assert.Contains("--max-length 72 exceeds the model's 40 position embeddings", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--max-positions", refused.Message, StringComparison.Ordinal);
        Assert.Contains("sieve extend", refused.Message, StringComparison.Ordinal);

        var notes = new List<string>();
        var result = FineTuneJob.Run(Options("long", 80), status: notes.Add);
        Assert.Equal(TrainingOutcome.Completed, result.Training.Outcome);
        Assert.Contains(notes, n => n.Contains("positions: 40 → 80", StringComparison.Ordinal));
        Assert.Equal(80, BertCheckpoint.ReadConfig(result.ModelDirectory!).MaxPositionEmbeddings);
        using var saved = SafeTensorsCheckpoint.OpenDirectory(result.ModelDirectory!);
        Assert.Equal([80L, 16L], saved.Entry(Table).Shape);
    }

    private static byte[] Bits(Tensor t) => t.contiguous().bytes.ToArray();

    // Equal value for value, not within a tolerance.
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    // The fixture without its 3-label classifier, so that RTE (2 labels) starts a new head.
    private string TinyWithoutClassifier()
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "encoder")).FullName;
        using (var checkpoint = SafeTensorsCheckpoint.OpenDirectory(Tiny))
        {
            var tensors = checkpoint.Names.Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal)).ToDictionary(k => k, checkpoint.Read);
            SafeTensorsWriter.Write(Path.Combine(source, SafeTensorsCheckpoint.SingleFileName), tensors);
            foreach (var t in tensors.Values) t.Dispose();
        }
        foreach (var file in new[] { "config.json", "vocab.txt" }) File.Copy(Path.Combine(Tiny, file), Path.Combine(source, file));
        return source;
    }
}
