// Reader of ListOps files in either layout (ListOpsFormat). Beyond the columns it checks every row: the expression
// must parse and its value must equal the target, which also catches a file read with the wrong column order.
namespace Sieve.Data.ListOps;

/// <summary>Reads ListOps data files into <see cref="SplitData"/> (Text = the expression, Label = the target 0–9).</summary>
public static class ListOpsFile
{
    /// <summary>Reads one ListOps file.</summary>
    /// <exception cref="DataFormatException">Under <see cref="MalformedRowPolicy.Error"/>, a row with the wrong columns, a
    /// target outside 0–9, an expression that does not parse, or a target that is not the expression's value.</exception>
    public static SplitData Read(string path, DataSplit split, ListOpsFormat format = ListOpsFormat.Lra, MalformedRowPolicy policy = MalformedRowPolicy.Error)
    {
        var task = TaskDefinition.For(TaskKind.ListOps);
        var layout = format == ListOpsFormat.Lra
            ? new SplitLayout(split, Path.GetFileName(path), true, null, 0, null, 1)
            : new SplitLayout(split, Path.GetFileName(path), false, 2, 1, null, 0);
        var data = TaskFileReader.Read(task, layout, path, policy);
        var examples = new List<Example>(data.Examples.Count);
        var skipped = new List<SkippedRow>(data.Skipped);
        foreach (var example in data.Examples)
        {
            var problem = Check(example);
            if (problem is null)
            {
                examples.Add(example);
                continue;
            }
            if (policy == MalformedRowPolicy.Error)
                throw new DataFormatException(path, example.Line, problem + $" (is this a {format} file?)");
            skipped.Add(new SkippedRow(path, example.Line, problem));
        }
        skipped.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new SplitData(split, path, examples, skipped);
    }

    private static string? Check(Example example)
    {
        try
        {
            int value = ListOpsNode.Parse(example.Text).Evaluate();
            return value == example.Label ? null : $"the target is {example.Label} but the expression evaluates to {value}";
        }
        catch (FormatException error)
        {
            return error.Message;
        }
    }
}
