// The one exception a user sees when a checkpoint (safetensors file, index, config, key set) is wrong: the message
// names the file, the key and what to do, so that a malformed or hostile file never surfaces as a crash.
namespace Sieve.Checkpoints;

/// <summary>A checkpoint could not be read, written or matched to a model; the message says what and how to fix it.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException()
    {
    }

    public CheckpointException(string message) : base(message)
    {
    }

    public CheckpointException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
