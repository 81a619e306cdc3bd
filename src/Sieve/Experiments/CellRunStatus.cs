// What running one cell of a grid did.
namespace Sieve.Experiments;

/// <summary>The result of <see cref="ExperimentRunner.Run"/>.</summary>
public enum CellRunStatus
{
    /// <summary>The cell trained and its line was appended.</summary>
    Recorded,

    /// <summary>The results file already had the cell; nothing ran.</summary>
    AlreadyFinished,

    /// <summary>The cell trained, but another process recorded it first; its line was not appended twice.</summary>
    RecordedElsewhere,

    /// <summary>The cell trains exactly what an earlier cell trains (<see cref="ExperimentCell.SameAs"/>); nothing ran.</summary>
    SameAsAnother,

    /// <summary>Another grid (<see cref="ExperimentSpec.Reuse"/>) had finished the same training; its line was copied, nothing ran.</summary>
    Reused,

    /// <summary>Training was cancelled (a checkpoint was saved); nothing was recorded, and the next run resumes it.</summary>
    Stopped,
}
