// Writer of safetensors files (huggingface/safetensors layout): entries sorted by name, contiguous data, the header
// padded with spaces to a multiple of 8 as the reference writer does. Written to a temporary file and renamed, so a
// crash never leaves a half-written file under the final name.
using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;

namespace Sieve.Checkpoints;

/// <summary>Writes named tensors as one safetensors file.</summary>
public static class SafeTensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (name → tensor, any device, any layout) to <paramref name="path"/> atomically.
    /// The bytes are the tensors' own, so reading the file back gives bit-identical tensors.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = new SortedDictionary<string, torch.Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name == "__metadata__") throw new ArgumentException("'__metadata__' is reserved by the format; rename the tensor.", nameof(tensors));
            if (!ordered.TryAdd(name, tensor)) throw new ArgumentException($"the tensor name '{name}' appears twice.", nameof(tensors));
        }

        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var datas = new List<byte[]>(ordered.Count);
        try
        {
            var header = new MemoryStream();
            using (var json = new Utf8JsonWriter(header))
            {
                json.WriteStartObject();
                if (metadata is { Count: > 0 })
                {
                    json.WriteStartObject("__metadata__");
                    foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                    json.WriteEndObject();
                }
                long offset = 0;
                foreach (var (name, tensor) in ordered)
                {
                    var dtype = SafeTensorsDTypes.FromScalarType(tensor.dtype);
                    var bytes = BytesOf(tensor);
                    datas.Add(bytes);
                    json.WriteStartObject(name);
                    json.WriteString("dtype", SafeTensorsDTypes.HeaderName(dtype));
                    json.WriteStartArray("shape");
                    foreach (var size in tensor.shape) json.WriteNumberValue(size);
                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset + bytes.Length);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    offset += bytes.Length;
                }
                json.WriteEndObject();
            }
            while (header.Length % 8 != 0) header.WriteByte((byte)' ');

            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                header.Position = 0;
                header.CopyTo(stream);
                foreach (var bytes in datas) stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static byte[] BytesOf(torch.Tensor tensor)
    {
        if (tensor.device_type == DeviceType.META)
            throw new ArgumentException("a tensor on the meta device has no values to save; materialise the model first.", nameof(tensor));
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        return cpu.numel() == 0 ? [] : cpu.bytes.ToArray();
    }
}
