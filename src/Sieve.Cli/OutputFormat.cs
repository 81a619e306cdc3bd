// The output formats of the commands that can print for people or for programs.
namespace Sieve.Cli;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    /// <summary>A readable summary or table.</summary>
    Text,

    /// <summary>JSON, for scripts.</summary>
    Json,
}
