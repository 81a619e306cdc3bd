// How a training run ended.
namespace Sieve.Training;

/// <summary>How <see cref="Trainer{TBatch}.Train"/> or <see cref="Trainer{TBatch}.Resume"/> ended.</summary>
public enum TrainingOutcome
{
    /// <summary>All steps ran; the final checkpoint is written.</summary>
    Completed,

    /// <summary>The cancellation token fired; a checkpoint at the last finished step is written.</summary>
    Cancelled,

    /// <summary>A loss or gradient norm was NaN or infinite; the run stopped before the update and wrote nothing more.</summary>
    NonFiniteLoss,
}
