// The output formats of the commands that print for people or for programs.
namespace Sieve.Cli;

/// <summary>How a command prints its result (<c>--format</c>).</summary>
internal enum OutputFormat
{
    /// <summary>A table or summary for people.</summary>
    Table,

    /// <summary>JSON, for scripts.</summary>
    Json,
}
