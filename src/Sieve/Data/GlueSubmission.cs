// Writes test-set predictions in the GLUE submission format: one file per test set, named as the GLUE server expects
// (CoLA.tsv, SST-2.tsv, MNLI-m.tsv, MNLI-mm.tsv, STS-B.tsv, …), a header `index\tprediction`, then the test file's index
// and the predicted label name (STS-B: a score clipped to 0..5) per line.
using System.Globalization;
using System.Text;

namespace Sieve.Data;

/// <summary>Writer of GLUE test-set prediction files.</summary>
public static class GlueSubmission
{
    /// <summary>The submission file name of <paramref name="split"/> of <paramref name="task"/>, e.g. <c>MNLI-mm.tsv</c>.</summary>
    /// <exception cref="ArgumentException">The split is not a GLUE test split.</exception>
    public static string FileName(TaskDefinition task, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Layout(split)?.SubmissionFile
            ?? throw new ArgumentException($"{task.Name} {split} is not a GLUE test split; only test sets are submitted.", nameof(split));
    }

    /// <summary>Writes class predictions (indices into <see cref="TaskDefinition.LabelNames"/>) for the examples of a test
    /// split into <paramref name="directory"/>; returns the file's path.</summary>
    public static string Write(TaskDefinition task, SplitData test, ReadOnlySpan<int> predicted, string directory)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(test);
        if (task.IsRegression || task.LabelNames is not { } names)
            throw new ArgumentException($"{task.Name} takes score predictions, not class indices.", nameof(task));
        var labels = new string[predicted.Length];
        for (int i = 0; i < predicted.Length; i++)
        {
            if ((uint)predicted[i] >= (uint)names.Count)
                throw new ArgumentOutOfRangeException(nameof(predicted), $"prediction {i} is class {predicted[i]}; {task.Name} has {names.Count} classes.");
            labels[i] = names[predicted[i]];
        }
        return WriteLines(task, test, labels, directory);
    }

    /// <summary>Writes regression predictions (STS-B), each clipped to the 0..5 range of the scores, with three decimals.</summary>
    public static string Write(TaskDefinition task, SplitData test, ReadOnlySpan<double> predicted, string directory)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(test);
        if (!task.IsRegression) throw new ArgumentException($"{task.Name} takes class predictions, not scores.", nameof(task));
        var labels = new string[predicted.Length];
        for (int i = 0; i < predicted.Length; i++)
        {
            if (!double.IsFinite(predicted[i])) throw new ArgumentException($"prediction {i} is {predicted[i]}.", nameof(predicted));
            labels[i] = Math.Clamp(predicted[i], 0, 5).ToString("0.000", CultureInfo.InvariantCulture);
        }
        return WriteLines(task, test, labels, directory);
    }

    private static string WriteLines(TaskDefinition task, SplitData test, string[] labels, string directory)
    {
        var name = FileName(task, test.Split);
        if (labels.Length != test.Examples.Count)
            throw new ArgumentException($"{labels.Length} predictions for the {test.Examples.Count} examples of {test.FilePath}.", nameof(labels));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        var text = new StringBuilder("index\tprediction\n");
        for (int i = 0; i < labels.Length; i++)
        {
            // The test file's own index where it has one (GLUE matches predictions by it), else the position.
            text.Append(test.Examples[i].Id ?? i.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(labels[i]).Append('\n');
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
