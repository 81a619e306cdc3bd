// One example of a task: a text or a text pair with a class label or a regression score, and where it came from.
// Plain strings and numbers: tokenization and tensors belong to the trainer.
namespace Sieve.Data;

/// <summary>One example read from a data file.</summary>
/// <param name="Text">The first (or only) text; for ListOps the expression, for byte-level text the document.</param>
/// <param name="TextPair">The second text of pair tasks (MRPC, STS-B, QQP, MNLI, QNLI, RTE, WNLI), else null.</param>
/// <param name="Label">The class index into <see cref="TaskDefinition.LabelNames"/>; null for regression and unlabelled test rows.</param>
/// <param name="Score">The regression target (STS-B, 0–5); null for classification and unlabelled test rows.</param>
/// <param name="Line">The 1-based line of the file the example came from.</param>
/// <param name="Id">The test file's index column (for the submission file); null where the file has none.</param>
public sealed record Example(string Text, string? TextPair, int? Label, float? Score, int Line, string? Id = null);
