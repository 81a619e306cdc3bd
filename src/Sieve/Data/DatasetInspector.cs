// Looks at a task's data before training on it (`sieve data inspect`): per split the number of examples, the label
// distribution, token-length percentiles (to choose a maximum length) and the rows skipped with their reasons.
using System.Globalization;
using Sieve.Data.ListOps;

namespace Sieve.Data;

/// <summary>Builds <see cref="SplitReport"/>s for every split of a task found in a folder.</summary>
public static class DatasetInspector
{
    /// <summary>The length unit and function a task brings itself: ListOps tokens and bytes, each with [CLS]; null for
    /// GLUE tasks, whose lengths depend on the WordPiece vocabulary the caller supplies.</summary>
    public static (string Unit, Func<string, string?, int> Length)? OwnTokenization(TaskDefinition task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Kind switch
        {
            TaskKind.ListOps => ("tokens", (text, _) => ListOpsTokenizer.Tokens(text).Count + 1),
            TaskKind.Text => ("bytes", (text, _) => ByteTextEncoder.Length(text)),
            _ => null,
        };
    }

    /// <summary>Reports every split of <paramref name="task"/> present in <paramref name="directory"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="directory">The folder holding the task's files.</param>
    /// <param name="unit">The name of the length unit, shown with the percentiles.</param>
    /// <param name="length">The length of an example (text, optional pair) in that unit.</param>
    /// <param name="policy">What to do with malformed rows.</param>
    public static IReadOnlyList<SplitReport> Inspect(
        TaskDefinition task, string directory, string unit, Func<string, string?, int> length, MalformedRowPolicy policy = MalformedRowPolicy.Error)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(length);
        IReadOnlyList<SplitData> splits = task.Kind == TaskKind.ListOps ? ReadListOps(task, directory, policy) : TaskFileReader.ReadTask(task, directory, policy);
        return splits.Select(split => Report(task, split, unit, length)).ToArray();
    }

    // ListOps files are read with ListOpsFile, which also checks each target against its expression.
    private static SplitData[] ReadListOps(TaskDefinition task, string directory, MalformedRowPolicy policy)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"no data folder at {directory}; point --data at the folder holding the listops files.");
        var present = task.Splits.Where(layout => File.Exists(Path.Combine(directory, layout.FileName))).ToArray();
        if (present.Length == 0)
            throw new FileNotFoundException($"none of the listops files ({string.Join(", ", task.Splits.Select(s => s.FileName))}) is in {directory}.");
        return present.Select(layout => ListOpsFile.Read(Path.Combine(directory, layout.FileName), layout.Split, ListOpsFormat.Lra, policy)).ToArray();
    }

    private static SplitReport Report(TaskDefinition task, SplitData split, string unit, Func<string, string?, int> length)
    {
        var lengths = split.Examples.Select(e => length(e.Text, e.TextPair)).ToArray();
        return new SplitReport(SplitName(split.Split), split.FilePath, split.Examples.Count, Labels(task, split), LengthSummary.Of(unit, lengths), split.Skipped);
    }

    private static KeyValuePair<string, int>[] Labels(TaskDefinition task, SplitData split)
    {
        if (!split.IsLabelled) return [];
        if (task.IsRegression)
        {
            // Unit bins of the 0–5 STS-B score; 5 falls in the last bin.
            var bins = new int[5];
            foreach (var e in split.Examples) bins[Math.Clamp((int)Math.Floor(e.Score!.Value), 0, 4)]++;
            return bins.Select((count, i) => KeyValuePair.Create(i == 4 ? "[4,5]" : $"[{i},{i + 1})", count)).ToArray();
        }
        var counts = split.Examples.GroupBy(e => e.Label!.Value).ToDictionary(g => g.Key, g => g.Count());
        int classes = Math.Max(task.LabelNames?.Count ?? 0, counts.Count == 0 ? 0 : counts.Keys.Max() + 1);
        return Enumerable.Range(0, classes)
            .Select(label => KeyValuePair.Create(
                task.LabelNames is { } names && label < names.Count ? names[label] : label.ToString(CultureInfo.InvariantCulture),
                counts.GetValueOrDefault(label)))
            .ToArray();
    }

    /// <summary>The file-style name of a split: <c>train</c>, <c>dev</c>, <c>dev_mismatched</c>, <c>test</c>, <c>test_mismatched</c>.</summary>
    public static string SplitName(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Dev => "dev",
        DataSplit.DevMismatched => "dev_mismatched",
        DataSplit.Test => "test",
        DataSplit.TestMismatched => "test_mismatched",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a split."),
    };
}
