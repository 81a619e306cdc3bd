// Reads the examples of a task's split from its TSV file by the columns of its SplitLayout: GLUE (METHODS.md §16,
// as transformers' glue processors read them), LRA ListOps (`Source\tTarget`) and byte-level text files. A row that
// does not fit is an error naming file and line, or is skipped and recorded when the caller asks for that.
using System.Globalization;

namespace Sieve.Data;

/// <summary>Reads <see cref="SplitData"/> from task files.</summary>
public static class TaskFileReader
{
    /// <summary>Every split of <paramref name="task"/> whose file is present in <paramref name="directory"/>, in the
    /// order of <see cref="TaskDefinition.Splits"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">None of the task's files is in the folder; the message names them.</exception>
    /// <exception cref="DataFormatException">A malformed row under <see cref="MalformedRowPolicy.Error"/>.</exception>
    public static IReadOnlyList<SplitData> ReadTask(TaskDefinition task, string directory, MalformedRowPolicy policy = MalformedRowPolicy.Error)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"no data folder at {directory}; point --data at the folder holding the {task.Name} files.");
        var splits = task.Splits
            .Where(layout => File.Exists(Path.Combine(directory, layout.FileName)))
            .Select(layout => Read(task, layout, Path.Combine(directory, layout.FileName), policy))
            .ToArray();
        if (splits.Length == 0)
        {
            throw new FileNotFoundException(
                $"none of the {task.Name} files ({string.Join(", ", task.Splits.Select(s => s.FileName))}) is in {directory}.");
        }
        return splits;
    }

    /// <summary>Reads one split file laid out as <paramref name="layout"/> says.</summary>
    /// <exception cref="DataFormatException">A header with too few columns, or a malformed row under
    /// <see cref="MalformedRowPolicy.Error"/>.</exception>
    public static SplitData Read(TaskDefinition task, SplitLayout layout, string path, MalformedRowPolicy policy = MalformedRowPolicy.Error)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(layout);
        var examples = new List<Example>();
        var skipped = new List<SkippedRow>();
        int? expected = layout.Columns;
        foreach (var row in TsvReader.Read(path))
        {
            if (layout.HasHeader && expected is null)
            {
                expected = row.Fields.Length;
                if (expected < layout.RequiredColumns)
                {
                    throw new DataFormatException(path, row.Line,
                        $"the header has {expected} columns but the {task.Name} {layout.Split} file needs at least {layout.RequiredColumns}; " +
                        "is this the right file for the task?");
                }
                continue;
            }
            var problem = Parse(task, layout, row, expected!.Value, out var example);
            if (problem is null)
            {
                examples.Add(example!);
                continue;
            }
            if (policy == MalformedRowPolicy.Error)
                throw new DataFormatException(path, row.Line, problem + "; fix the row, or read with MalformedRowPolicy.Skip (sieve: --skip-malformed) to leave such rows out.");
            skipped.Add(new SkippedRow(path, row.Line, problem));
        }
        if (layout.HasHeader && expected is null) throw new DataFormatException(path, 0, "the file is empty; a header line was expected.");
        return new SplitData(layout.Split, path, examples, skipped);
    }

    // Null when the row is fine (and `example` is set), else what is wrong with it.
    private static string? Parse(TaskDefinition task, SplitLayout layout, TsvRow row, int expected, out Example? example)
    {
        example = null;
        var fields = row.Fields;
        if (fields.Length != expected)
        {
            return $"expected {expected} tab-separated fields, found {fields.Length} " +
                "(a truncated row, or a TAB inside a text)";
        }
        int? label = null;
        float? score = null;
        if (layout.LabelColumn is int labelColumn)
        {
            var raw = fields[labelColumn == SplitLayout.LastColumn ? fields.Length - 1 : labelColumn];
            if (task.IsRegression)
            {
                if (!float.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    return $"the score '{raw}' is not a number";
                score = value;
            }
            else if (task.LabelNames is { } names)
            {
                int index = IndexOf(names, raw);
                if (index < 0) return $"the label '{raw}' is not one of {string.Join(", ", names)}";
                label = index;
            }
            else
            {
                if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                    return $"the label '{raw}' is not a non-negative integer class index";
                label = value;
            }
        }
        var pair = layout.PairColumn is int pairColumn ? fields[pairColumn] : null;
        var id = layout.IdColumn is int idColumn ? fields[idColumn] : null;
        example = new Example(fields[layout.TextColumn], pair, label, score, row.Line, id);
        return null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string value)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], value, StringComparison.Ordinal)) return i;
        return -1;
    }
}
