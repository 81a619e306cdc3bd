// CRC-32C against its published check value, and a TensorBoard event file decoded by an independent little reader:
// TFRecord framing with both masked CRCs, the file-version event, then Event{wall_time, step, summary{value{tag,
// simple_value}}} with the field numbers of event.proto / summary.proto.
using System.Buffers.Binary;
using System.Text;
using Sieve.Training;

namespace Sieve.Tests.Training;

public sealed class TensorBoardWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sieve-tb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Crc32C_MatchesTheCheckValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0u, Crc32C.Compute([]));
        // RFC 3720 B.4: 32 bytes of zeros.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        var crc = Crc32C.Compute("123456789"u8);
        Assert.Equal(unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u), Crc32C.Masked("123456789"u8));
    }

    [Fact]
    public void EventFile_DecodesToTheWrittenScalars()
    {
        string path;
        using (var writer = new TensorBoardWriter(_dir))
        {
            writer.AddScalar("train/loss", 3, 0.25, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500));
            writer.AddScalar("eval/accuracy", 300, 0.75);
            path = writer.FilePath;
        }
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.EndsWith("." + Environment.MachineName, Path.GetFileName(path), StringComparison.Ordinal);

        var records = ReadRecords(File.ReadAllBytes(path));
        Assert.Equal(3, records.Count);

        var first = Fields(records[0]);
        Assert.Equal("brain.Event:2", Encoding.UTF8.GetString((byte[])first[3]));
        Assert.IsType<double>(first[1]);

        var second = Fields(records[1]);
        Assert.Equal(1_700_000_000.5, (double)second[1]);
        Assert.Equal(3UL, (ulong)second[2]);
        var value = Fields((byte[])Fields((byte[])second[5])[1]);
        Assert.Equal("train/loss", Encoding.UTF8.GetString((byte[])value[1]));
        Assert.Equal(0.25f, (float)value[2]);

        var third = Fields(records[2]);
        Assert.Equal(300UL, (ulong)third[2]);
        var value3 = Fields((byte[])Fields((byte[])third[5])[1]);
        Assert.Equal("eval/accuracy", Encoding.UTF8.GetString((byte[])value3[1]));
        Assert.Equal(0.75f, (float)value3[2]);
    }

    [Fact]
    public void TwoWritersInOneSecond_GetTwoFiles()
    {
        using var a = new TensorBoardWriter(_dir);
        using var b = new TensorBoardWriter(_dir);
        Assert.NotEqual(a.FilePath, b.FilePath);
    }

    // TFRecord: u64 length, u32 masked crc32c(length), data, u32 masked crc32c(data).
    private static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        var at = 0;
        while (at < file.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
            Assert.Equal(MaskedCrc(file.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)));
            var data = file.AsSpan(at + 12, length).ToArray();
            Assert.Equal(MaskedCrc(data), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + length)));
            records.Add(data);
            at += 12 + length + 4;
        }
        return records;
    }

    // An independent bitwise CRC-32C (no table) to check the writer's table-driven one.
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (uint)-(int)(crc & 1));
        }
        crc = ~crc;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
    }

    // Field number → value (varint: ulong, fixed64: double, fixed32: float, length-delimited: bytes); last one wins.
    private static Dictionary<int, object> Fields(byte[] message)
    {
        var fields = new Dictionary<int, object>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: fields[field] = Varint(message, ref at); break;
                case 1: fields[field] = BinaryPrimitives.ReadDoubleLittleEndian(message.AsSpan(at)); at += 8; break;
                case 5: fields[field] = BinaryPrimitives.ReadSingleLittleEndian(message.AsSpan(at)); at += 4; break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    fields[field] = message.AsSpan(at, length).ToArray();
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {key & 7}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
