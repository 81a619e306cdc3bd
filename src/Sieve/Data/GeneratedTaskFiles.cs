// The files a generator or converter of `sieve data` writes (longdoc, imdb): train.tsv, dev.tsv and a JSON manifest in
// one folder, each written atomically, and never over a file that is already there.
using System.Text.Json;

namespace Sieve.Data;

/// <summary>Writes a generated task's train.tsv, dev.tsv and manifest.</summary>
internal static class GeneratedTaskFiles
{
    /// <summary>Writes the three files into <paramref name="directory"/>; returns their paths.</summary>
    /// <exception cref="IOException">The folder already holds one of the files (nothing is overwritten).</exception>
    public static IReadOnlyList<string> Write<TManifest>(string directory, Action<TextWriter> train, Action<TextWriter> dev, string manifestFile, TManifest manifest)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        Directory.CreateDirectory(directory);
        var paths = new[] { Path.Combine(directory, "train.tsv"), Path.Combine(directory, "dev.tsv"), Path.Combine(directory, manifestFile) };
        if (paths.FirstOrDefault(File.Exists) is { } taken)
            throw new IOException($"{taken} exists; remove it or give another output folder (generated files are never overwritten).");
        AtomicFile.Write(paths[0], train, overwrite: false);
        AtomicFile.Write(paths[1], dev, overwrite: false);
        var json = JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        AtomicFile.Write(paths[2], writer => writer.WriteLine(json), overwrite: false);
        return paths;
    }
}
