// The values of ONNX TensorProto initializers and constants (onnx.proto: raw_data little-endian, or the typed
// repeated fields, or external data beside the model), as float32 or int64 arrays.
using System.Buffers.Binary;
using System.Globalization;
using Onnx;

namespace Sieve.Onnx;

/// <summary>Reads the numbers a <see cref="TensorProto"/> holds.</summary>
internal static class OnnxTensors
{
    public static long[] Shape(TensorProto tensor) => [.. tensor.Dims];

    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (n, d) => n * d);

    public static string DataTypeName(int dataType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), dataType)
            ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
            : dataType.ToString(CultureInfo.InvariantCulture);

    /// <summary>A float32 tensor's values; <paramref name="folder"/> is where external data files are looked up.</summary>
    public static float[] Floats(TensorProto tensor, string? folder)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new OnnxImportException($"tensor '{tensor.Name}' is {DataTypeName(tensor.DataType)}, not float32.");
        var count = checked((int)ElementCount(tensor));
        var bytes = RawBytes(tensor, folder);
        if (bytes is null)
        {
            if (tensor.FloatData.Count != count)
                throw new OnnxImportException($"tensor '{tensor.Name}' has {tensor.FloatData.Count} values for its shape [{string.Join(", ", tensor.Dims)}] ({count}).");
            return [.. tensor.FloatData];
        }
        if (bytes.Length != count * sizeof(float))
            throw new OnnxImportException($"tensor '{tensor.Name}' has {bytes.Length} bytes of data for its shape [{string.Join(", ", tensor.Dims)}] ({count} float32 values).");
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }

    /// <summary>An integer tensor's values (int64 or int32), or null when it holds another type.</summary>
    public static long[]? Integers(TensorProto tensor, string? folder)
    {
        var count = checked((int)ElementCount(tensor));
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (type is not (TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32)) return null;
        var bytes = RawBytes(tensor, folder);
        if (bytes is null)
            return type == TensorProto.Types.DataType.Int64 ? [.. tensor.Int64Data] : [.. tensor.Int32Data.Select(v => (long)v)];
        var size = type == TensorProto.Types.DataType.Int64 ? 8 : 4;
        if (bytes.Length != count * size) return null;
        var values = new long[count];
        for (var i = 0; i < count; i++)
            values[i] = size == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8)) : BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    /// <summary>A floating-point scalar constant (float32 or float64, one element), or null.</summary>
    public static double? Scalar(TensorProto tensor, string? folder)
    {
        if (ElementCount(tensor) != 1) return null;
        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float => Floats(tensor, folder)[0],
            TensorProto.Types.DataType.Double => RawBytes(tensor, folder) is { Length: 8 } b ? BinaryPrimitives.ReadDoubleLittleEndian(b) : tensor.DoubleData.FirstOrDefault(),
            _ => null,
        };
    }

    // raw_data, or the bytes an external-data entry points at, or null when the values are in a typed repeated field.
    private static byte[]? RawBytes(TensorProto tensor, string? folder)
    {
        if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
            return tensor.RawData.IsEmpty ? null : tensor.RawData.ToByteArray();

        var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        if (!entries.TryGetValue("location", out var location))
            throw new OnnxImportException($"tensor '{tensor.Name}' is stored outside the model but names no file (external_data has no 'location').");
        if (folder is null)
            throw new OnnxImportException($"tensor '{tensor.Name}' is stored in the external file '{location}'; import the model from its file path, beside that file.");
        var path = Path.GetFullPath(Path.Combine(folder, location));
        if (!path.StartsWith(Path.GetFullPath(folder), StringComparison.Ordinal))
            throw new OnnxImportException($"tensor '{tensor.Name}' points at '{location}', outside the model's folder; refusing to read it.");
        if (!File.Exists(path))
            throw new OnnxImportException($"tensor '{tensor.Name}' is stored in '{path}', which does not exist; keep the external data file beside the .onnx file.");
        var offset = entries.TryGetValue("offset", out var o) ? long.Parse(o, CultureInfo.InvariantCulture) : 0;
        using var file = File.OpenRead(path);
        var length = entries.TryGetValue("length", out var l) ? long.Parse(l, CultureInfo.InvariantCulture) : file.Length - offset;
        if (offset < 0 || length < 0 || offset + length > file.Length)
            throw new OnnxImportException($"tensor '{tensor.Name}': bytes {offset}…{offset + length} lie outside '{path}' ({file.Length} bytes).");
        var bytes = new byte[checked((int)length)];
        file.Seek(offset, SeekOrigin.Begin);
        file.ReadExactly(bytes);
        return bytes;
    }
}
