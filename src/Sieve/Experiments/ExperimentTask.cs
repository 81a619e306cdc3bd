// One task of an experiment grid: which task, where its files are, an optional subset for quick runs, and the
// dependency parses of its rows for syntax(k).
namespace Sieve.Experiments;

/// <summary>A task of <see cref="ExperimentSpec"/>.</summary>
/// <param name="Name">The task's command-line name (<c>rte</c>, <c>sst2</c>, … see <c>TaskDefinition.Names</c>).</param>
/// <param name="DataDirectory">The folder with the task's files (absolute; the spec loader resolves it against the spec's folder).</param>
/// <param name="MaxTrainExamples">Train on the first this many examples only; null uses all.</param>
/// <param name="MaxEvalExamples">Evaluate on the first this many dev examples only; null uses all.</param>
/// <param name="TrainParses">The CoNLL-U parses of the training rows (<c>parses: {train: …}</c>), for syntax(k); absolute.</param>
/// <param name="DevParses">The CoNLL-U parses of the dev rows (<c>parses: {dev: …}</c>); absolute.</param>
/// <param name="DevMismatchedParses">The CoNLL-U parses of MNLI's mismatched dev rows (<c>parses: {dev_mismatched: …}</c>); absolute.</param>
/// <param name="UnparsedRows">What a row without a matching parse gets (<c>parses: {unparsed_rows: error|no-arcs}</c>).</param>
public sealed record ExperimentTask(string Name, string DataDirectory, int? MaxTrainExamples = null, int? MaxEvalExamples = null,
    string? TrainParses = null, string? DevParses = null, FineTuning.UnparsedRowPolicy UnparsedRows = FineTuning.UnparsedRowPolicy.Error,
    string? DevMismatchedParses = null);
