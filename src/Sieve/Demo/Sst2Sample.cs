// The SST-2 sample bundled with the demo (Demo/Sst2Sample/NOTICE.md): 4,000 training sentences and the full dev set,
// embedded in the assembly and written out as an ordinary GLUE task folder that the fine-tuning job reads.
using Sieve.Data;

namespace Sieve.Demo;

/// <summary>The demo's bundled SST-2 files.</summary>
public static class Sst2Sample
{
    /// <summary>Training rows in the sample (the first rows of GLUE's train.tsv).</summary>
    public const int TrainRows = 4000;

    /// <summary>Dev rows in the sample (all of GLUE's dev.tsv).</summary>
    public const int DevRows = 872;

    private static readonly string[] _files = ["train.tsv", "dev.tsv"];

    /// <summary>Writes train.tsv and dev.tsv into <paramref name="directory"/> (created if needed) and returns it.</summary>
    public static string WriteTo(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var assembly = typeof(Sst2Sample).Assembly;
        foreach (var file in _files)
        {
            var resource = $"{typeof(Sst2Sample).Namespace}.Sst2Sample.{file}";
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"the demo's {file} is missing from {assembly.GetName().Name} (resource {resource}); rebuild Sieve.");
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            AtomicFile.Write(Path.Combine(directory, file), writer => writer.Write(text));
        }
        return directory;
    }
}
