// AAA Eq. 9 of a fixed pattern over a task's training examples, every layer and head: the ρ a learnable pattern is
// trained towards when it is to match that pattern (AAA Table 4 trains AAA "to the specific sparsity ratio on each
// task" of the fixed pattern it is compared with). Eq. 9 uses each example's real length, so the value depends on the
// task's lengths and the tokenizer, and is measured rather than given by hand.
using Sieve.Data;
using Sieve.Patterns;
using Sieve.Tokenization;

namespace Sieve.FineTuning;

/// <summary>The sparsity (Eq. 9) a fixed pattern has on a task's training split.</summary>
public static class TrainingSparsity
{
    /// <summary>
    /// ρ of <paramref name="pattern"/> over the first <paramref name="maxExamples"/> (all when null) training examples
    /// of <paramref name="task"/> in <paramref name="dataDirectory"/>, tokenized as fine-tuning tokenizes them (at most
    /// <paramref name="maxLength"/> tokens), averaged over <paramref name="layers"/> × <paramref name="heads"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no training file for the task.</exception>
    public static double Of(Pattern pattern, TaskDefinition task, string dataDirectory, SieveTokenizer tokenizer, int maxLength, int? maxExamples,
        int layers, int heads)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var train = TaskFileReader.ReadTask(task, dataDirectory).FirstOrDefault(s => s.Split == DataSplit.Train)
            ?? throw new FileNotFoundException($"{dataDirectory} has no {task.Layout(DataSplit.Train)?.FileName} for the {task.Name} task; the sparsity to match is measured on it.");
        var encoded = TaskEncoder.For(task, tokenizer, maxLength).EncodeAll([.. train.Examples.Take(maxExamples ?? int.MaxValue)]);
        var sparsity = new SparsityAccumulator();
        foreach (var example in encoded)
        {
            foreach (var layout in PatternLayouts.BuildAll(pattern, example.Context, layers, heads))
                sparsity.Add(layout);
        }
        return sparsity.Sparsity;
    }
}
