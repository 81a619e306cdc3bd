// Strict safetensors reading: well-formed files give the right tensors; every crafted malformation gives a
// CheckpointException that says what is wrong, never a crash or an out-of-range read.
using System.Buffers.Binary;
using System.Text;
using Sieve.Checkpoints;
using Sieve.TestSupport;
using static TorchSharp.torch;

namespace Sieve.Tests.Checkpoints;

public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Craft(string headerJson, byte[] data, ulong? claimedLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Floats(params float[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

    private string ErrorOf(string path)
    {
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        return e.Message;
    }

    [Fact]
    public void HandCraftedFile_ReadsValuesShapeAndMetadata()
    {
        var path = Craft("""{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]},"a":{"dtype":"F32","shape":[3,1],"data_offsets":[0,12]}}""",
            Floats(1.5f, -2f, 3.25f, 7f, 8f));
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(["a", "b"], file.Entries.Select(e => e.Name));
        using var a = file.Read("a");
        Assert.Equal([3L, 1L], a.shape);
        Assert.Equal(ScalarType.Float32, a.dtype);
        Assert.Equal([1.5f, -2f, 3.25f], a.data<float>().ToArray());
        using var b = file.Read("b");
        Assert.Equal([7f, 8f], b.data<float>().ToArray());
    }

    [Fact]
    public void HalfAndBFloat16_DecodeToTheKnownValues()
    {
        // F16 0x3C00 = 1.0, 0xC000 = -2.0; BF16 0x3FC0 = 1.5, 0x4120 = 10.0 (the top half of the float32 pattern).
        var data = new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0xC0, 0x3F, 0x20, 0x41 };
        var path = Craft("""{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"bf":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}""", data);
        using var file = SafeTensorsFile.Open(path);
        using var h = file.Read("h").to_type(ScalarType.Float32);
        using var bf = file.Read("bf").to_type(ScalarType.Float32);
        Assert.Equal([1f, -2f], h.data<float>().ToArray());
        Assert.Equal([1.5f, 10f], bf.data<float>().ToArray());
    }

    [Fact]
    public void WriteThenRead_IsBitIdenticalForEveryFloatType()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        var source = new Dictionary<string, Tensor>
        {
            ["f32"] = randn([3, 5], generator: generator),
            ["f64"] = randn([4], dtype: ScalarType.Float64, generator: generator),
            ["f16"] = randn([2, 2, 2], generator: generator).to_type(ScalarType.Float16),
            ["bf16"] = randn([7], generator: generator).to_type(ScalarType.BFloat16),
            ["i64"] = arange(5L),
            ["empty"] = zeros([0, 3]),
            ["transposed"] = randn([3, 4], generator: generator).t(),
        };
        var path = Path.Combine(_dir, "round.safetensors");
        SafeTensorsWriter.Write(path, source, new Dictionary<string, string> { ["format"] = "pt" });
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*"));
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        foreach (var (name, expected) in source)
        {
            var actual = file.Read(name);
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expected.contiguous().bytes.ToArray(), actual.bytes.ToArray());
        }
    }

    [Fact]
    public void TheTinyBertFixture_IsReadAsF32() // a file written by the reference implementation
    {
        using var file = SafeTensorsFile.Open(Fixtures.PathOf("tiny-bert/model.safetensors"));
        Assert.Equal(41, file.Entries.Count); // 5 embeddings + 2 × 16 per layer + 2 pooler + 2 classifier
        Assert.All(file.Entries, e => Assert.Equal(SafeTensorsDType.F32, e.DType));
        Assert.Equal([60L, 16L], file.Entry("bert.embeddings.word_embeddings.weight").Shape);
    }

    [Fact]
    public void FileShorterThanTheLengthField_IsRefused()
    {
        var path = Path.Combine(_dir, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", ErrorOf(path), StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderLengthBeyondTheFile_IsRefused() =>
        Assert.Contains("only", ErrorOf(Craft("{}", [], claimedLength: 1000)), StringComparison.Ordinal);

    [Fact]
    public void HugeHeaderLength_IsRefusedBeforeAllocating()
    {
        Assert.Contains("more than the", ErrorOf(Craft("{}", [], claimedLength: ulong.MaxValue)), StringComparison.Ordinal);
        Assert.Contains("more than the", ErrorOf(Craft("{}", [], claimedLength: SafeTensorsFile.MaxHeaderLength + 1)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}")]
    public void BadJson_IsRefused(string header) =>
        Assert.Contains("not valid JSON", ErrorOf(Craft(header, Floats(1f))), StringComparison.Ordinal);

    [Fact]
    public void HeaderThatIsNotUtf8_IsRefused()
    {
        // 'é' is C3 A9 in UTF-8; a lone FF byte in its place is valid in no encoding of JSON text.
        var path = Craft("{\"\u00e9\":1}", []);
        var bytes = File.ReadAllBytes(path);
        bytes[Array.IndexOf(bytes, (byte)0xC3)] = 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("not valid UTF-8", ErrorOf(path), StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderThatIsNotAnObject_IsRefused() =>
        Assert.Contains("JSON object", ErrorOf(Craft("[1,2]", [])), StringComparison.Ordinal);

    [Fact]
    public void OffsetsPastTheData_AreRefused() =>
        Assert.Contains("run past the data section", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", Floats(1f))), StringComparison.Ordinal);

    [Fact]
    public void OffsetsFarOutOfRange_AreRefused() =>
        Assert.Contains("run past", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775800,9223372036854775804]}}""", Floats(1f))), StringComparison.Ordinal);

    [Fact]
    public void NegativeOrReversedOffsets_AreRefused()
    {
        Assert.Contains("not a non-negative integer", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", Floats(1f))), StringComparison.Ordinal);
        Assert.Contains("end before they begin", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", Floats(1f))), StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingTensors_AreRefused()
    {
        var message = ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", Floats(1f, 2f, 3f)));
        Assert.Contains("overlap", message, StringComparison.Ordinal);
        Assert.Contains("'a'", message, StringComparison.Ordinal);
        Assert.Contains("'b'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GapBetweenTensors_IsRefused() =>
        Assert.Contains("do not cover", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", Floats(1f, 2f, 3f))), StringComparison.Ordinal);

    [Fact]
    public void TrailingBytesAfterTheLastTensor_AreRefused() =>
        Assert.Contains("do not cover", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1f, 2f))), StringComparison.Ordinal);

    [Fact]
    public void DTypeTimesShapeNotTheByteLength_IsRefused()
    {
        var message = ErrorOf(Craft("""{"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}""", Floats(1f, 2f)));
        Assert.Contains("needs 6 bytes", message, StringComparison.Ordinal);
        Assert.Contains("'a'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapeWhoseSizeOverflows_IsRefused() =>
        Assert.Contains("overflows", ErrorOf(Craft("""{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}""", Floats(1f))), StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}""", "not supported")]
    [InlineData("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", "dtype is missing")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", "[begin, end]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}""", "unknown field")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "twice")]
    [InlineData("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "must be a string")]
    [InlineData("""{"a":[1]}""", "must be an object")]
    [InlineData("""{"a":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}}""", "gives 'dtype' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"shape":[1],"data_offsets":[0,4]}}""", "gives 'shape' twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"data_offsets":[0,4]}}""", "gives 'data_offsets' twice")]
    [InlineData("""{"__metadata__":{"format":"pt","format":"np"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "gives 'format' twice")]
    public void MalformedEntries_AreRefusedWithTheReason(string header, string reason) =>
        Assert.Contains(reason, ErrorOf(Craft(header, Floats(1f))), StringComparison.Ordinal);

    [Fact]
    public void TruncatedFile_IsRefused()
    {
        var path = Craft("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", Floats(1f, 2f, 3f, 4f));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        Assert.Contains("run past the data section", ErrorOf(path), StringComparison.Ordinal);
    }

    [Fact]
    public void RandomGarbage_NeverCrashes()
    {
        // Whatever the bytes, the outcome is a valid file or a CheckpointException.
        var random = new Random(5);
        for (var i = 0; i < 300; i++)
        {
            var good = File.ReadAllBytes(Craft("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[8,10]}}""", [.. Floats(1f, 2f), 1, 2]));
            for (var flips = 0; flips < 3; flips++) good[random.Next(good.Length)] = (byte)random.Next(256);
            var path = Path.Combine(_dir, $"fuzz{i}.safetensors");
            File.WriteAllBytes(path, good);
            try
            {
                using var file = SafeTensorsFile.Open(path);
                foreach (var e in file.Entries) file.Read(e).Dispose();
            }
            catch (CheckpointException)
            {
            }
        }
    }
}
