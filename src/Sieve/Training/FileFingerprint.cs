// The length and SHA-256 of a file: recorded for every file of a checkpoint, so that a truncated or damaged file is
// named as such on resume instead of failing deep in a reader, and for the data and model files of a run's settings.
using System.Security.Cryptography;

namespace Sieve.Training;

/// <summary>A file's length in bytes and the hex SHA-256 of its contents.</summary>
public sealed record FileFingerprint(long Bytes, string Sha256)
{
    /// <summary>The fingerprint of the file at <paramref name="path"/>, read as a stream (large files never sit in memory).</summary>
    public static FileFingerprint Of(string path)
    {
        using var stream = File.OpenRead(path);
        var hash = SHA256.HashData(stream);
        return new FileFingerprint(stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Bytes} bytes, sha256 {Sha256}";
}
