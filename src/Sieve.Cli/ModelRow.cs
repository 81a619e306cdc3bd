// One row of `sieve models list`.
namespace Sieve.Cli;

/// <summary>A built-in model as listed; <see cref="CacheFolder"/> is null until its first use converts it.</summary>
internal sealed record ModelRow(string Name, string Upstream, string Description, string Licence, string Pooling, string? CacheFolder);
