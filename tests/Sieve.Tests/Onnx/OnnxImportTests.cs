// The ONNX importer on the real all-MiniLM-L6-v2 export and on mutations of it: the config it reads off the graph,
// the folder it writes, and a clear refusal (naming the cause) for every graph it must not import.
using Google.Protobuf;
using Onnx;
using Sieve.Models;
using Sieve.Onnx;
using Sieve.Tokenization;

namespace Sieve.Tests.Onnx;

public sealed class OnnxImportTests : IDisposable
{
    private static readonly Lazy<byte[]> _miniLm = new(() => Resource(BuiltInModels.Default, BuiltInModels.Default.OnnxResource));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"sieve-onnx-{Guid.NewGuid():N}");

    public OnnxImportTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MiniLm_ConfigIsReadOffTheGraph()
    {
        var model = OnnxBertReader.Read(new MemoryStream(_miniLm.Value), null, "minilm.onnx");
        var c = model.Config;
        Assert.Equal((6, 384, 12, 1536), (c.NumHiddenLayers, c.HiddenSize, c.NumAttentionHeads, c.IntermediateSize));
        Assert.Equal((30522, 512, 2), (c.VocabSize, c.MaxPositionEmbeddings, c.TypeVocabSize));
        Assert.Equal("gelu", c.HiddenAct);                  // the graph has Erf
        Assert.Equal(1e-12, c.LayerNormEps);                // the float32 constant, as its shortest decimal
        Assert.True(model.HasPooler);
        Assert.Equal(103, model.Weights.Count);             // 5 embedding + 6 × 16 layer + 2 pooler tensors
        Assert.Equal(22_713_216, model.ParameterCount);
    }

    [Fact]
    public void AnonymousMatMulWeights_AreTransposedIntoHfLayout()
    {
        var proto = ModelProto.Parser.ParseFrom(_miniLm.Value);
        // The query of layer 0 is MatMul(x, W[in, out]) + bias: find W and compare with the imported [out, in] weight.
        var add = proto.Graph.Node.First(n => n.OpType == "Add" && n.Input.Contains("encoder.layer.0.attention.self.query.bias"));
        var matmulOutput = add.Input.First(i => i != "encoder.layer.0.attention.self.query.bias");
        var matmul = proto.Graph.Node.First(n => n.Output.Contains(matmulOutput));
        var stored = proto.Graph.Initializer.First(t => t.Name == matmul.Input[1]);
        var w = OnnxTensors.Floats(stored, null);                                   // [in, out]
        var imported = OnnxBertReader.Read(new MemoryStream(_miniLm.Value), null, "minilm.onnx").Weights["encoder.layer.0.attention.self.query.weight"];
        Assert.Equal([384L, 384L], imported.Shape);
        for (var o = 0; o < 384; o += 37)
            for (var i = 0; i < 384; i += 41)
                Assert.Equal(w[(i * 384) + o], imported.Values[(o * 384) + i]);
    }

    [Fact]
    public void Import_WritesALoadableFolder_WithTheTokenizerConfig()
    {
        var onnx = WriteModel(ModelProto.Parser.ParseFrom(_miniLm.Value));
        var output = Path.Combine(_folder, "out");
        OnnxImport.Run(onnx, Vocab(), output);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.True(TokenizerOptions.FromCheckpoint(output).LowerCase);     // an uncased vocabulary
        Assert.Empty(Directory.GetDirectories(_folder, ".out.staging-*"));
    }

    [Fact]
    public void Import_KeepCase_WritesACasedTokenizerConfig()
    {
        var output = Path.Combine(_folder, "cased");
        OnnxImport.Run(WriteModel(ModelProto.Parser.ParseFrom(_miniLm.Value)), Vocab(), output, lowerCase: false);
        Assert.False(TokenizerOptions.FromCheckpoint(output).LowerCase);
    }

    [Fact]
    public void Import_IntoANonEmptyFolder_IsRefusedBeforeReading()
    {
        var output = Path.Combine(_folder, "taken");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "keep.txt"), "mine");
        var e = Assert.Throws<OnnxImportException>(() => OnnxImport.Run(Path.Combine(_folder, "absent.onnx"), Vocab(), output));
        Assert.Contains("not empty", e.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "keep.txt")));
    }

    [Fact]
    public void NotOnnx_IsRefused()
    {
        var path = Path.Combine(_folder, "noise.onnx");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) ^ (i >> 3)))]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxBertReader.Read(path));
        Assert.Contains("ONNX", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuantizedGraph_IsRefused() => AssertRefused(p =>
        p.Graph.Node.Add(new NodeProto { OpType = "DequantizeLinear", Input = { "w_q", "scale" }, Output = { "w" } }), "quantized");

    [Fact]
    public void FusedOnnxRuntimeGraph_IsRefused() => AssertRefused(p =>
        p.Graph.Node.Add(new NodeProto { OpType = "SkipLayerNormalization", Domain = "com.microsoft", Input = { "a", "b" }, Output = { "c" } }), "com.microsoft.SkipLayerNormalization");

    [Fact]
    public void HalfPrecisionWeights_AreRefused() => AssertRefused(p =>
        p.Graph.Initializer.First(t => t.Name == "pooler.dense.bias").DataType = (int)TensorProto.Types.DataType.Float16, "half precision");

    [Fact]
    public void AnUnplaceableInitializer_IsNamed() => AssertRefused(p =>
        p.Graph.Initializer.Add(new TensorProto { Name = "stray", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2, 2 }, FloatData = { 1, 2, 3, 4 } }), "'stray'");

    [Fact]
    public void AMissingWeight_IsNamed() => AssertRefused(p =>
    {
        var bias = p.Graph.Initializer.First(t => t.Name == "encoder.layer.3.output.LayerNorm.bias");
        p.Graph.Initializer.Remove(bias);
    }, "encoder.layer.3.output.LayerNorm.bias");

    [Fact]
    public void AVocabularyLargerThanTheEmbeddings_IsRefused()
    {
        var vocab = Path.Combine(_folder, "big.txt");
        File.WriteAllLines(vocab, [.. File.ReadAllLines(Vocab()), "extra1", "extra2"]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImport.Run(WriteModel(ModelProto.Parser.ParseFrom(_miniLm.Value)), vocab, Path.Combine(_folder, "o")));
        Assert.Contains("30524 entries", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalData_IsReadFromBesideTheModel()
    {
        var proto = ModelProto.Parser.ParseFrom(_miniLm.Value);
        var word = proto.Graph.Initializer.First(t => t.Name == "embeddings.word_embeddings.weight");
        var expected = OnnxTensors.Floats(word, null);
        File.WriteAllBytes(Path.Combine(_folder, "weights.bin"), [.. new byte[16], .. word.RawData.ToByteArray()]);
        word.RawData = ByteString.Empty;
        word.DataLocation = TensorProto.Types.DataLocation.External;
        word.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        word.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "16" });
        var model = OnnxBertReader.Read(WriteModel(proto));
        Assert.Equal(expected, model.Weights["embeddings.word_embeddings.weight"].Values);
    }

    private void AssertRefused(Action<ModelProto> mutate, string expected)
    {
        var proto = ModelProto.Parser.ParseFrom(_miniLm.Value);
        mutate(proto);
        var e = Assert.Throws<OnnxImportException>(() => OnnxBertReader.Read(WriteModel(proto)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private string WriteModel(ModelProto proto)
    {
        var path = Path.Combine(_folder, $"model-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, proto.ToByteArray());
        return path;
    }

    private string Vocab()
    {
        var path = Path.Combine(_folder, "vocab.txt");
        if (!File.Exists(path)) File.WriteAllBytes(path, Resource(BuiltInModels.Default, BuiltInModels.Default.VocabResource));
        return path;
    }

    private static byte[] Resource(BuiltInModel model, string name)
    {
        using var stream = BuiltInModels.OpenResource(model, name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
