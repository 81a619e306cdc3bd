// Writer of TensorBoard event files (events.out.tfevents.<time>.<host>): TFRecord framing (length, masked CRC-32C of
// the length, data, masked CRC-32C of the data) around Event protobufs (tensorboard/compat/proto/event.proto,
// summary.proto): the first record carries file_version "brain.Event:2", the others one scalar Summary each.
using System.Buffers.Binary;
using System.Globalization;

namespace Sieve.Training;

/// <summary>Writes scalar summaries to a new TensorBoard event file.</summary>
public sealed class TensorBoardWriter : IDisposable
{
    /// <summary>The file version TensorBoard's own writers put in the first event.</summary>
    public const string FileVersion = "brain.Event:2";

    // Field numbers of event.proto (Event) and summary.proto (Summary, Summary.Value).
    private const int EventWallTime = 1;
    private const int EventStep = 2;
    private const int EventFileVersion = 3;
    private const int EventSummary = 5;
    private const int SummaryValue = 1;
    private const int ValueTag = 1;
    private const int ValueSimpleValue = 2;

    private readonly FileStream _stream;

    /// <summary>Creates a new event file in <paramref name="logDir"/> (created when missing) and writes the file-version event.</summary>
    public TensorBoardWriter(string logDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logDir);
        Directory.CreateDirectory(logDir);
        var now = DateTimeOffset.UtcNow;
        var name = string.Create(CultureInfo.InvariantCulture, $"events.out.tfevents.{now.ToUnixTimeSeconds():D10}.{Environment.MachineName}");
        // Two writers in the same second (a quick resume) get a numbered suffix; TensorBoard reads any *tfevents* file.
        var path = Path.Combine(logDir, name);
        for (var n = 1; File.Exists(path); n++) path = Path.Combine(logDir, string.Create(CultureInfo.InvariantCulture, $"{name}.{n}"));
        FilePath = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteRecord(new ProtobufWriter().Double(EventWallTime, WallTime(now)).Int64(EventStep, 0).String(EventFileVersion, FileVersion).ToArray());
        Flush();
    }

    /// <summary>The event file being written.</summary>
    public string FilePath { get; }

    /// <summary>Appends one scalar (<paramref name="tag"/> such as "train/loss") at <paramref name="step"/>.</summary>
    public void AddScalar(string tag, long step, double value, DateTimeOffset? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var summaryValue = new ProtobufWriter().String(ValueTag, tag).Float(ValueSimpleValue, (float)value).ToArray();
        var summary = new ProtobufWriter().Bytes(SummaryValue, summaryValue).ToArray();
        var wallTime = WallTime(time ?? DateTimeOffset.UtcNow);
        WriteRecord(new ProtobufWriter().Double(EventWallTime, wallTime).Int64(EventStep, step).Bytes(EventSummary, summary).ToArray());
    }

    /// <summary>Pushes written events to disk, so a crash loses none of them and TensorBoard sees them live.</summary>
    public void Flush() => _stream.Flush(flushToDisk: false);

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private static double WallTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private void WriteRecord(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
    }
}
