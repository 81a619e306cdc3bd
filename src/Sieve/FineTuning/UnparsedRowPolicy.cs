// What a task split does with a row that its CoNLL-U file has no matching parse for (syntax(k), METHODS.md §2.2).
namespace Sieve.FineTuning;

/// <summary>What <see cref="TaskParses"/> does with a row whose parse is missing or whose words differ from the row's text.</summary>
public enum UnparsedRowPolicy
{
    /// <summary>Stop with an error naming the parse file, the sentence and its line, and the data row and its line (the default).</summary>
    Error,

    /// <summary>
    /// Give the row no dependency arcs: every word is a root, so under <c>syntax(k)</c> its pieces see only each other
    /// (and the special tokens as <c>special=</c> says). The rows are counted (<see cref="TaskParses.Unparsed"/>).
    /// </summary>
    NoArcs,
}
