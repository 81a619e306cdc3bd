// A temporary folder for test files, removed when the test ends.
namespace Sieve.Tests.Data;

internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sieve-data-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="text"/> as UTF-8 (with a byte-order mark when asked) and returns the file's path.</summary>
    public string Write(string name, string text, bool byteOrderMark = false)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(byteOrderMark));
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
