// One small record per task instead of a class hierarchy: its files per split, text and label columns, label names,
// regression or not and its metrics. GLUE layouts follow METHODS.md §16 (transformers' glue processors); ListOps and
// byte-level text follow the LRA files (§15).
using Sieve.Metrics;

namespace Sieve.Data;

/// <summary>Everything a reader, the metrics and the submission writer need to know about a task.</summary>
/// <param name="Kind">The task.</param>
/// <param name="Name">The command-line name (<c>cola</c>, <c>sst2</c>, … <c>listops</c>, <c>text</c>).</param>
/// <param name="DirectoryName">The folder name of the task in the GLUE download (<c>SST-2</c>); the LRA tasks have none
/// of their own.</param>
/// <param name="Splits">The files of the task, train first.</param>
/// <param name="LabelNames">The label strings in the files, in class-index order; null for regression (STS-B) and for
/// byte-level text, whose labels are read as integers 0..K−1.</param>
/// <param name="IsRegression">Whether the target is a float score (STS-B) rather than a class.</param>
/// <param name="Metrics">The task's official metrics, in the order GLUE reports them.</param>
/// <param name="PaperMetric">The one metric the papers (AAA Table 1) report for the task.</param>
public sealed record TaskDefinition(
    TaskKind Kind,
    string Name,
    string DirectoryName,
    IReadOnlyList<SplitLayout> Splits,
    IReadOnlyList<string>? LabelNames,
    bool IsRegression,
    IReadOnlyList<MetricKind> Metrics,
    MetricKind PaperMetric)
{
    private static readonly string[] _binary = ["0", "1"];
    private static readonly string[] _entailment = ["entailment", "not_entailment"];
    private static readonly string[] _mnli = ["contradiction", "entailment", "neutral"];
    private static readonly string[] _digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    private static readonly MetricKind[] _accuracy = [MetricKind.Accuracy];
    private static readonly MetricKind[] _f1Accuracy = [MetricKind.F1, MetricKind.Accuracy];

    /// <summary>Whether this is one of the nine GLUE tasks.</summary>
    public bool IsGlue => Kind is not (TaskKind.ListOps or TaskKind.Text);

    /// <summary>The number of classes (1 for regression, null when read from the data, as for byte-level text).</summary>
    public int? ClassCount => IsRegression ? 1 : LabelNames?.Count;

    /// <summary>The layout of <paramref name="split"/>, or null when the task has no such split.</summary>
    public SplitLayout? Layout(DataSplit split) => Splits.FirstOrDefault(layout => layout.Split == split);

    /// <summary>The command-line names of every task, in <see cref="TaskKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<TaskKind>().Select(kind => For(kind).Name).ToArray();

    /// <summary>The task a command-line name stands for (case-insensitive; <c>sst-2</c> and <c>sts-b</c> accepted too).</summary>
    /// <exception cref="ArgumentException">The name is not a known task; the message lists the known ones.</exception>
    public static TaskDefinition Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().Replace("-", "", StringComparison.Ordinal);
        foreach (var kind in Enum.GetValues<TaskKind>())
        {
            var definition = For(kind);
            if (string.Equals(definition.Name, key, StringComparison.OrdinalIgnoreCase)) return definition;
        }
        throw new ArgumentException($"unknown task '{name}'; use one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The definition of <paramref name="kind"/>.</summary>
    public static TaskDefinition For(TaskKind kind) => kind switch
    {
        // CoLA train/dev: no header; source, label, original annotation, sentence. The test file has `index\tsentence`.
        TaskKind.Cola => new(kind, "cola", "CoLA",
            [Labelled(DataSplit.Train, "train.tsv", false, 4, 3, null, 1), Labelled(DataSplit.Dev, "dev.tsv", false, 4, 3, null, 1),
             Test(DataSplit.Test, "test.tsv", 1, null, "CoLA.tsv")],
            _binary, false, [MetricKind.Matthews], MetricKind.Matthews),
        TaskKind.Sst2 => new(kind, "sst2", "SST-2",
            [Labelled(DataSplit.Train, "train.tsv", true, null, 0, null, 1), Labelled(DataSplit.Dev, "dev.tsv", true, null, 0, null, 1),
             Test(DataSplit.Test, "test.tsv", 1, null, "SST-2.tsv")],
            _binary, false, _accuracy, MetricKind.Accuracy),
        // MRPC: Quality, #1 ID, #2 ID, #1 String, #2 String; the file may begin with a UTF-8 BOM.
        TaskKind.Mrpc => new(kind, "mrpc", "MRPC",
            [Labelled(DataSplit.Train, "train.tsv", true, null, 3, 4, 0), Labelled(DataSplit.Dev, "dev.tsv", true, null, 3, 4, 0),
             Test(DataSplit.Test, "test.tsv", 3, 4, "MRPC.tsv")],
            _binary, false, _f1Accuracy, MetricKind.F1),
        // STS-B: index genre filename year old_index source1 source2 sentence1 sentence2 score.
        TaskKind.Stsb => new(kind, "stsb", "STS-B",
            [Labelled(DataSplit.Train, "train.tsv", true, null, 7, 8, SplitLayout.LastColumn),
             Labelled(DataSplit.Dev, "dev.tsv", true, null, 7, 8, SplitLayout.LastColumn),
             Test(DataSplit.Test, "test.tsv", 7, 8, "STS-B.tsv")],
            null, true, [MetricKind.Pearson, MetricKind.Spearman], MetricKind.Spearman),
        // QQP: id qid1 qid2 question1 question2 is_duplicate; the test file has `id\tquestion1\tquestion2`.
        TaskKind.Qqp => new(kind, "qqp", "QQP",
            [Labelled(DataSplit.Train, "train.tsv", true, null, 3, 4, 5), Labelled(DataSplit.Dev, "dev.tsv", true, null, 3, 4, 5),
             Test(DataSplit.Test, "test.tsv", 1, 2, "QQP.tsv")],
            _binary, false, _f1Accuracy, MetricKind.F1),
        // MNLI: sentence1/2 in columns 8 and 9, gold_label last (dev rows carry five annotator labels before it).
        TaskKind.Mnli => new(kind, "mnli", "MNLI",
            [Labelled(DataSplit.Train, "train.tsv", true, null, 8, 9, SplitLayout.LastColumn),
             Labelled(DataSplit.Dev, "dev_matched.tsv", true, null, 8, 9, SplitLayout.LastColumn),
             Labelled(DataSplit.DevMismatched, "dev_mismatched.tsv", true, null, 8, 9, SplitLayout.LastColumn),
             Test(DataSplit.Test, "test_matched.tsv", 8, 9, "MNLI-m.tsv"),
             Test(DataSplit.TestMismatched, "test_mismatched.tsv", 8, 9, "MNLI-mm.tsv")],
            _mnli, false, _accuracy, MetricKind.Accuracy),
        TaskKind.Qnli => IndexSentencePair(kind, "qnli", "QNLI", _entailment),
        TaskKind.Rte => IndexSentencePair(kind, "rte", "RTE", _entailment),
        TaskKind.Wnli => IndexSentencePair(kind, "wnli", "WNLI", _binary),
        // LRA ListOps files as its generator writes them: `Source\tTarget` with a header, named {task}_{split}.tsv.
        TaskKind.ListOps => new(kind, "listops", "listops",
            [Labelled(DataSplit.Train, "basic_train.tsv", true, null, 0, null, 1), Labelled(DataSplit.Dev, "basic_val.tsv", true, null, 0, null, 1),
             Labelled(DataSplit.Test, "basic_test.tsv", true, null, 0, null, 1)],
            _digits, false, _accuracy, MetricKind.Accuracy),
        // Byte-level text: any `text\tlabel` file with a header, integer labels; train/dev/test.tsv.
        TaskKind.Text => new(kind, "text", "text",
            [Labelled(DataSplit.Train, "train.tsv", true, null, 0, null, SplitLayout.LastColumn),
             Labelled(DataSplit.Dev, "dev.tsv", true, null, 0, null, SplitLayout.LastColumn),
             Labelled(DataSplit.Test, "test.tsv", true, null, 0, null, SplitLayout.LastColumn)],
            null, false, _accuracy, MetricKind.Accuracy),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a task."),
    };

    // QNLI, RTE and WNLI: index, sentence1 (question), sentence2 (sentence), label last; test without the label.
    private static TaskDefinition IndexSentencePair(TaskKind kind, string name, string directory, string[] labels) => new(kind, name, directory,
        [Labelled(DataSplit.Train, "train.tsv", true, null, 1, 2, SplitLayout.LastColumn),
         Labelled(DataSplit.Dev, "dev.tsv", true, null, 1, 2, SplitLayout.LastColumn),
         Test(DataSplit.Test, "test.tsv", 1, 2, directory + ".tsv")],
        labels, false, _accuracy, MetricKind.Accuracy);

    private static SplitLayout Labelled(DataSplit split, string file, bool header, int? columns, int text, int? pair, int label) =>
        new(split, file, header, columns, text, pair, label);

    // GLUE test files: a header, the index in column 0, no label.
    private static SplitLayout Test(DataSplit split, string file, int text, int? pair, string submission) =>
        new(split, file, true, null, text, pair, null, 0, submission);
}
