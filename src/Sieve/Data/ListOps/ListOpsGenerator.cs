// The ListOps generator of Long Range Arena (lra_benchmarks/data/listops.py, METHODS.md §15.1): a node at depth < max
// depth is a digit with probability 0.75 (r > VALUE_P = 0.25), else an operator with randint(2, max_args) arguments;
// at max depth always a digit. Trees are kept when min < length < max, de-duplicated, and split train/val/test. Seeded
// System.Random, so the same options give the same data on every run (not the same data as Python's generator).
using System.Globalization;
using System.Text;

namespace Sieve.Data.ListOps;

/// <summary>Generates and writes ListOps data.</summary>
public static class ListOpsGenerator
{
    /// <summary>LRA's probability threshold: a node is an operator when r ≤ 0.25.</summary>
    public const double ValueProbabilityThreshold = 0.25;

    /// <summary>Draws distinct expressions until the three sets are full.</summary>
    /// <exception cref="InvalidOperationException">The length bounds are so tight (or the counts so high) that not enough
    /// distinct expressions turn up; the message says what to relax.</exception>
    public static ListOpsSets Generate(ListOpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int total = options.TrainCount + options.ValidationCount + options.TestCount;
        var random = new Random(options.Seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<ListOpsNode>(total);
        // Rejection sampling; the cap turns impossible bounds into an error instead of an endless loop.
        long attempts = 0, limit = 10_000L * total + 1_000_000;
        while (kept.Count < total)
        {
            if (++attempts > limit)
            {
                throw new InvalidOperationException(
                    $"only {kept.Count} of {total} distinct ListOps expressions with {options.MinLength} < length < {options.MaxLength} " +
                    $"turned up in {limit} draws; widen the length range, raise MaxDepth/MaxArguments, or ask for fewer.");
            }
            var tree = Tree(random, 1, options.MaxDepth, options.MaxArguments);
            if (tree.Length > options.MinLength && tree.Length < options.MaxLength && seen.Add(tree.ToString())) kept.Add(tree);
        }
        return new ListOpsSets(
            kept.GetRange(0, options.TrainCount),
            kept.GetRange(options.TrainCount, options.ValidationCount),
            kept.GetRange(options.TrainCount + options.ValidationCount, options.TestCount));
    }

    // LRA's generate_tree, drawing in its order: r, then a digit or (argument count, arguments, operator).
    private static ListOpsNode Tree(Random random, int depth, int maxDepth, int maxArguments)
    {
        double r = depth < maxDepth ? random.NextDouble() : 1;
        if (r > ValueProbabilityThreshold) return ListOpsNode.Leaf(random.Next(10));
        int count = random.Next(2, maxArguments + 1); // randint is inclusive
        var arguments = new ListOpsNode[count];
        for (int i = 0; i < count; i++) arguments[i] = Tree(random, depth + 1, maxDepth, maxArguments);
        var op = (ListOpsOperator)random.Next(4);
        return ListOpsNode.Apply(op, arguments);
    }

    /// <summary>Writes the sets as LRA does: <c>{task}_train.tsv</c>, <c>{task}_val.tsv</c>, <c>{task}_test.tsv</c>, each with
    /// the header <c>Source\tTarget</c>. Returns the three paths.</summary>
    public static IReadOnlyList<string> WriteLra(ListOpsSets sets, string directory, string task = "basic")
    {
        ArgumentNullException.ThrowIfNull(sets);
        Directory.CreateDirectory(directory);
        return
        [
            Write(sets.Train, Path.Combine(directory, $"{task}_train.tsv")),
            Write(sets.Validation, Path.Combine(directory, $"{task}_val.tsv")),
            Write(sets.Test, Path.Combine(directory, $"{task}_test.tsv")),
        ];
    }

    private static string Write(IReadOnlyList<ListOpsNode> trees, string path)
    {
        var text = new StringBuilder("Source\tTarget\n");
        foreach (var tree in trees) text.Append(tree).Append('\t').Append(tree.Evaluate().ToString(CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
