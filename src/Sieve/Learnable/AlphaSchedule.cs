// The two schedules of the sparsity weight α in AAA Eq. 10 (§4.2): constant, or rising linearly to its maximum at half
// of training and constant afterwards.
namespace Sieve.Learnable;

/// <summary>How α of the sparsity hinge evolves over training.</summary>
public enum AlphaSchedule
{
    /// <summary>α is its maximum at every step.</summary>
    Constant,

    /// <summary>α rises linearly from 0 to its maximum at half of the training steps, then stays there.</summary>
    LinearToHalf,
}
