// Sharded checkpoints (model.safetensors.index.json + shards) and directory discovery, including the refusal of
// pickled pytorch_model.bin weights.
using System.Text.Json;
using Sieve.Checkpoints;
using static TorchSharp.torch;

namespace Sieve.Tests.Checkpoints;

public sealed class SafeTensorsCheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-ck-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WriteIndex(Dictionary<string, string> weightMap) =>
        File.WriteAllText(Path.Combine(_dir, SafeTensorsCheckpoint.IndexFileName),
            JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));

    private void WriteShards()
    {
        using var a = tensor(new float[] { 1, 2 });
        using var b = tensor(new float[] { 3 });
        using var c = tensor(new float[] { 4, 5, 6 });
        SafeTensorsWriter.Write(Path.Combine(_dir, "model-00001-of-00002.safetensors"), new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });
        SafeTensorsWriter.Write(Path.Combine(_dir, "model-00002-of-00002.safetensors"), new Dictionary<string, Tensor> { ["c"] = c });
    }

    [Fact]
    public void ShardedIndex_ReadsEveryTensorFromItsShard()
    {
        WriteShards();
        WriteIndex(new() { ["a"] = "model-00001-of-00002.safetensors", ["b"] = "model-00001-of-00002.safetensors", ["c"] = "model-00002-of-00002.safetensors" });
        using var checkpoint = SafeTensorsCheckpoint.OpenDirectory(_dir);
        Assert.Equal(["a", "b", "c"], checkpoint.Names);
        using var c = checkpoint.Read("c");
        Assert.Equal([4f, 5f, 6f], c.data<float>().ToArray());
        using var b = checkpoint.Read("b");
        Assert.Equal([3f], b.data<float>().ToArray());
    }

    [Fact]
    public void IndexNamingATensorItsShardLacks_IsRefused()
    {
        WriteShards();
        WriteIndex(new() { ["a"] = "model-00001-of-00002.safetensors", ["b"] = "model-00001-of-00002.safetensors", ["c"] = "model-00001-of-00002.safetensors" });
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("'c'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardHoldingATensorTheIndexOmits_IsRefused()
    {
        WriteShards();
        WriteIndex(new() { ["a"] = "model-00001-of-00002.safetensors", ["c"] = "model-00002-of-00002.safetensors" });
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../model.safetensors")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/model.safetensors")]
    public void ShardPathsLeavingTheDirectory_AreRefused(string shard)
    {
        WriteIndex(new() { ["a"] = shard });
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("plain file name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingShard_IsRefused()
    {
        WriteIndex(new() { ["a"] = "model-00009.safetensors" });
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("model-00009.safetensors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexWithoutWeightMap_IsRefused()
    {
        File.WriteAllText(Path.Combine(_dir, SafeTensorsCheckpoint.IndexFileName), """{"metadata":{}}""");
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("weight_map", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PytorchModelBin_IsRefusedWithConversionAdvice()
    {
        File.WriteAllBytes(Path.Combine(_dir, "pytorch_model.bin"), [0x80, 0x02]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("pickle", e.Message, StringComparison.Ordinal);
        Assert.Contains("safe_serialization=True", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryWithoutWeights_IsRefused()
    {
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.OpenDirectory(_dir));
        Assert.Contains("model.safetensors", e.Message, StringComparison.Ordinal);
    }
}
