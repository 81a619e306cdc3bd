// The JSONL log of a run (trainer_log.jsonl): one object per logged optimizer step and one per evaluation, flushed as
// written so a crash loses nothing already logged. On resume, records of steps after the checkpoint are dropped
// because those steps are run again; the kept ones are rewritten to a temporary file renamed over the log.
using System.Text;
using System.Text.Json;

namespace Sieve.Training;

/// <summary>Appends training and evaluation records to a JSON-lines file.</summary>
public sealed class TrainingLog : IDisposable
{
    /// <summary>The file name inside the output folder.</summary>
    public const string FileName = "trainer_log.jsonl";

    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter _writer;

    /// <summary>
    /// Opens <paramref name="path"/>: a fresh run (<paramref name="resumeStep"/> null) starts an empty file; a resumed run
    /// keeps the records up to and including <paramref name="resumeStep"/> and appends after them.
    /// </summary>
    public TrainingLog(string path, int? resumeStep)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        if (resumeStep is { } last && File.Exists(path)) Replace(path, RecordsUpTo(path, last));
        _writer = new StreamWriter(path, append: resumeStep is not null, _utf8) { NewLine = "\n" };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Writes one record: <c>{"type": <paramref name="type"/>, "step", "epoch", then the values in order}</c>.</summary>
    public void Write(string type, int step, double epoch, IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("step", step);
            json.WriteNumber("epoch", epoch);
            foreach (var (key, value) in values)
            {
                // JSON has no NaN or infinity; a non-finite value is written as its name so the record stays valid.
                if (double.IsFinite(value)) json.WriteNumber(key, value);
                else json.WriteString(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            json.WriteEndObject();
        }
        _writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        _writer.Flush();
    }

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    private static List<string> RecordsUpTo(string path, int last)
    {
        var kept = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var record = JsonDocument.Parse(line);
                if (record.RootElement.TryGetProperty("step", out var step) && step.GetInt64() <= last) kept.Add(line);
            }
            catch (JsonException)
            {
                // A line cut short by the crash: it belongs to the lost steps.
            }
        }
        return kept;
    }

    // The kept records go to a temporary file that replaces the log in one rename: truncating the log in place would
    // lose all of it to a kill at that moment.
    private static void Replace(string path, List<string> lines)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            using (var writer = new StreamWriter(stream, _utf8, leaveOpen: true) { NewLine = "\n" })
                foreach (var line in lines) writer.WriteLine(line);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
