// Reader of one safetensors file (huggingface/safetensors format: 8-byte little-endian header length, JSON header,
// data section). Every offset, length, type and shape is checked before a byte is read: a malformed or hostile file
// gives a CheckpointException naming the file and the entry, never a crash or an out-of-range read.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Sieve.Data;
using TorchSharp;

namespace Sieve.Checkpoints;

/// <summary>An open, validated safetensors file. Tensors are read on demand with <see cref="Read(string)"/>.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>The largest header accepted (100 MB, the limit of the reference implementation); a longer one is refused
    /// before any allocation, so a forged length cannot exhaust memory.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafeTensorsEntry> _byName;
    private readonly long _dataStart;

    private SafeTensorsFile(string path, SafeFileHandle handle, List<SafeTensorsEntry> entries, Dictionary<string, string> metadata, long dataStart)
    {
        FilePath = path;
        _handle = handle;
        Entries = entries;
        Metadata = metadata;
        _dataStart = dataStart;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was read from.</summary>
    public string FilePath { get; }

    /// <summary>Entries in the order of their bytes in the data section.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>; throws <see cref="CheckpointException"/> when it is malformed.</summary>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CheckpointException($"{path}: no such safetensors file.");
        if (RegularFile.Problem(path, "the safetensors file") is { } problem) throw new CheckpointException(problem);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var (entries, metadata, dataStart) = ReadHeader(path, handle);
            return new SafeTensorsFile(path, handle, entries, metadata, dataStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>; throws when the file has none.</summary>
    public SafeTensorsEntry Entry(string name) =>
        _byName.TryGetValue(name, out var e) ? e : throw new CheckpointException($"{FilePath}: no tensor named '{name}'.");

    /// <summary>Reads the tensor <paramref name="name"/> into a new CPU tensor of its stored type and shape.</summary>
    public torch.Tensor Read(string name) => Read(Entry(name));

    /// <summary>Reads a tensor of this file (an entry of <see cref="Entries"/>) into a new CPU tensor.</summary>
    public torch.Tensor Read(SafeTensorsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!_byName.TryGetValue(entry.Name, out var own) || own != entry)
            throw new ArgumentException($"'{entry.Name}' is not an entry of {FilePath}.", nameof(entry));
        if (entry.ByteLength > Array.MaxLength)
            throw new CheckpointException($"{FilePath}: tensor '{entry.Name}' has {entry.ByteLength} bytes, more than one read can hold ({Array.MaxLength}); split the checkpoint into shards.");
        var bytes = new byte[entry.ByteLength];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(_handle, bytes.AsSpan(read), _dataStart + entry.Begin + read);
            if (n == 0) throw new CheckpointException($"{FilePath}: the file ended inside tensor '{entry.Name}' (was it truncated while open?).");
            read += n;
        }
        var tensor = torch.empty(entry.ShapeArray, SafeTensorsDTypes.ToScalarType(entry.DType));
        if (bytes.Length > 0) tensor.bytes = bytes;
        return tensor;
    }

    public void Dispose() => _handle.Dispose();

    private static (List<SafeTensorsEntry>, Dictionary<string, string>, long) ReadHeader(string path, SafeFileHandle handle)
    {
        if (!BitConverter.IsLittleEndian)
            throw new CheckpointException("safetensors stores little-endian bytes; this reader runs only on little-endian machines.");
        var fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw new CheckpointException($"{path}: {fileLength} bytes is too short for a safetensors file (it starts with an 8-byte header length).");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(handle, prefix, 0, path);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
            throw new CheckpointException($"{path}: the header claims {headerLength} bytes, more than the {MaxHeaderLength} a safetensors header may have; the file is corrupt or not safetensors.");
        if ((long)headerLength > fileLength - 8)
            throw new CheckpointException($"{path}: the header claims {headerLength} bytes but only {fileLength - 8} follow the length field; the file is truncated or corrupt.");
        var header = new byte[headerLength];
        ReadExactly(handle, header, 8, path);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        try
        {
            // JsonDocument defers UTF-8 validation of strings until they are read; check the whole header up front.
            _ = _strictUtf8.GetCharCount(header);
        }
        catch (DecoderFallbackException e)
        {
            throw new CheckpointException($"{path}: the header is not valid UTF-8; the file is corrupt or not safetensors.", e);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: the header is not valid JSON ({e.Message}); the file is corrupt or not safetensors.", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException($"{path}: the header must be a JSON object, found {doc.RootElement.ValueKind}.");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new CheckpointException($"{path}: the header names '{property.Name}' twice.");
                if (property.Name == "__metadata__")
                    ReadMetadata(path, property.Value, metadata);
                else
                    entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
            }
            CheckLayout(path, entries, dataLength);
            return (entries, metadata, dataStart);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException($"{path}: __metadata__ must be an object of strings.");
        foreach (var item in value.EnumerateObject())
        {
            if (metadata.ContainsKey(item.Name))
                throw new CheckpointException($"{path}: __metadata__ gives '{item.Name}' twice.");
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException($"{path}: __metadata__ value '{item.Name}' must be a string.");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafeTensorsEntry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        string Where() => $"{path}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException($"{Where()}: the entry must be an object with dtype, shape and data_offsets.");
        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            // JSON lets a later "dtype" silently win over an earlier one; a reader that kept the other would see
            // other weights, so a repeated field is refused rather than resolved.
            if (!fields.Add(field.Name))
                throw new CheckpointException($"{Where()}: the entry gives '{field.Name}' twice ({field.Value.GetRawText()} and an earlier value); the header is corrupt or forged.");
            switch (field.Name)
            {
                case "dtype": dtypeElement = field.Value; break;
                case "shape": shapeElement = field.Value; break;
                case "data_offsets": offsetsElement = field.Value; break;
                default: throw new CheckpointException($"{Where()}: unknown field '{field.Name}' (expected dtype, shape, data_offsets).");
            }
        }
        if (dtypeElement is not { ValueKind: JsonValueKind.String } d)
            throw new CheckpointException($"{Where()}: dtype is missing or not a string.");
        var dtypeName = d.GetString()!;
        if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
            throw new CheckpointException($"{Where()}: dtype '{dtypeName}' is not supported (F64, F32, F16, BF16 and integer types are); convert the checkpoint to float32.");
        if (shapeElement is not { ValueKind: JsonValueKind.Array } s)
            throw new CheckpointException($"{Where()}: shape is missing or not an array.");
        var shape = new List<long>();
        long count = 1;
        foreach (var dim in s.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var size) || size < 0)
                throw new CheckpointException($"{Where()}: shape holds {dim.GetRawText()}, not a non-negative integer.");
            shape.Add(size);
            count = MultiplyOrFail(count, size, Where);
        }
        if (offsetsElement is not { ValueKind: JsonValueKind.Array } o || o.GetArrayLength() != 2)
            throw new CheckpointException($"{Where()}: data_offsets must be an array [begin, end].");
        var begin = Offset(o[0], Where);
        var end = Offset(o[1], Where);
        if (begin > end)
            throw new CheckpointException($"{Where()}: data_offsets [{begin}, {end}] end before they begin.");
        if (end > dataLength)
            throw new CheckpointException($"{Where()}: data_offsets [{begin}, {end}] run past the data section ({dataLength} bytes); the file is truncated or corrupt.");
        var expected = MultiplyOrFail(count, SafeTensorsDTypes.SizeOf(dtype), Where);
        if (expected != end - begin)
            throw new CheckpointException($"{Where()}: {dtypeName} × [{string.Join(", ", shape)}] needs {expected} bytes but data_offsets [{begin}, {end}] give {end - begin}.");
        return new SafeTensorsEntry(name, dtype, shape, begin, end);
    }

    private static long Offset(JsonElement e, Func<string> where) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= 0
            ? v
            : throw new CheckpointException($"{where()}: data offset {e.GetRawText()} is not a non-negative integer.");

    private static long MultiplyOrFail(long a, long b, Func<string> where)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw new CheckpointException($"{where()}: the shape's size overflows 64 bits; the header is corrupt.");
        }
    }

    // The data section must be tiled exactly: sorted by offset, each tensor starts where the previous ended, the first
    // at 0 and the last at the end. This rules out overlaps (two tensors sharing bytes) and hidden gaps.
    private static void CheckLayout(string path, List<SafeTensorsEntry> entries, long dataLength)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        SafeTensorsEntry? previous = null;
        foreach (var e in entries)
        {
            if (e.Begin < position)
                throw new CheckpointException($"{path}: tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and '{e.Name}' [{e.Begin}, {e.End}] overlap.");
            if (e.Begin > position)
                throw new CheckpointException($"{path}: bytes [{position}, {e.Begin}) of the data section belong to no tensor (before '{e.Name}'); the offsets do not cover the data.");
            position = e.End;
            previous = e;
        }
        if (position != dataLength)
            throw new CheckpointException($"{path}: the tensors end at byte {position} of the data section but it has {dataLength}; the offsets do not cover the data.");
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer[read..], offset + read);
            if (n == 0) throw new CheckpointException($"{path}: the file ended while reading its header.");
            read += n;
        }
    }
}
