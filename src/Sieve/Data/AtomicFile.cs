// Writing a file so that readers see the old file or the whole new one, never a part: the text goes to a hidden
// temporary file beside it (same folder, so the rename stays on one file system), is flushed to disk, and is renamed
// over the target. A failed or killed write leaves the target as it was.
using System.Text;

namespace Sieve.Data;

/// <summary>Temp-then-rename writes of UTF-8 text (no byte-order mark, "\n" line ends).</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; with <paramref name="overwrite"/> false an existing file is an <see cref="IOException"/> and stays untouched.</summary>
    public static void Write(string path, Action<TextWriter> write, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\n" })
                    write(writer);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
