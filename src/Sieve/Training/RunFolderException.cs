// The one exception a user sees when a run's output folder cannot be used as asked: held by another run, holding a
// finished run, or recorded with other settings than a resume gives. The message names the folder and what to do.
namespace Sieve.Training;

/// <summary>The output folder of a training run is in use, taken, or belongs to a run with other settings.</summary>
public sealed class RunFolderException : Exception
{
    public RunFolderException()
    {
    }

    public RunFolderException(string message) : base(message)
    {
    }

    public RunFolderException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
