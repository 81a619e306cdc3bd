// Where one split of a task lives and how its columns are laid out (METHODS.md §16 table; GLUE test files differ from
// train/dev: an index column first, no label).
namespace Sieve.Data;

/// <summary>The file and columns of one split. Column indices are 0-based; <see cref="LastColumn"/> means the last field.</summary>
/// <param name="Split">Which split this file holds.</param>
/// <param name="FileName">The file name inside the task's folder, e.g. <c>dev_matched.tsv</c>.</param>
/// <param name="HasHeader">Whether the first line is a header (CoLA train/dev have none).</param>
/// <param name="Columns">The number of fields every row has when there is no header; with a header, the header's count is
/// used instead and this is null.</param>
/// <param name="TextColumn">The column of the first text.</param>
/// <param name="PairColumn">The column of the second text of pair tasks, else null.</param>
/// <param name="LabelColumn">The column of the label or score; null in unlabelled (test) files.</param>
/// <param name="IdColumn">The column of the index written back in a submission file; null where there is none.</param>
/// <param name="SubmissionFile">The name GLUE's server expects for predictions on this split (test splits only).</param>
public sealed record SplitLayout(
    DataSplit Split,
    string FileName,
    bool HasHeader,
    int? Columns,
    int TextColumn,
    int? PairColumn,
    int? LabelColumn,
    int? IdColumn = null,
    string? SubmissionFile = null)
{
    /// <summary>Stands for the last field of a row (MNLI's gold_label follows a varying number of annotator labels).</summary>
    public const int LastColumn = -1;

    /// <summary>The fewest fields a row needs to hold every column this layout reads.</summary>
    public int RequiredColumns =>
        1 + new[] { TextColumn, PairColumn ?? 0, LabelColumn ?? 0, IdColumn ?? 0 }.Max();
}
