// How the commands that load a model folder say what loading did: finetune's status line on stderr
// (CheckpointLoadReport.Describe), so that weights the checkpoint lacked are never invented silently.
using Sieve.Checkpoints;

namespace Sieve.Cli;

/// <summary>The load line of <c>encode</c> and <c>evaluate</c>; their JSON carries the same keys as <c>newlyInitialized</c>.</summary>
internal static class LoadNotice
{
    /// <summary>Writes the report's one line on <paramref name="error"/>, as finetune's status does.</summary>
    public static void Write(TextWriter error, CheckpointLoadReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(report);
        error.WriteLine(report.Describe(directory));
    }
}
