// The demo's long-range task (issue: "a synthetic task whose label depends on tokens far apart"): a haystack of random
// filler symbols with one needle symbol hidden far from [CLS]; the label is which needle. The classifier pools [CLS],
// so it must carry information across the whole sequence — AAA Table 2's point that a small local window fails on
// long-range tasks while one global token restores it.
namespace Sieve.Data.Needle;

/// <summary>
/// Token ids: 0 = [PAD], 1 = [CLS], 2 … 2+C−1 = the C needles, then the haystack symbols. Every example is [CLS]
/// followed by filler, with exactly one needle at a position ≥ <see cref="NeedleTaskOptions.MinDistance"/>; classes
/// are balanced by construction (example i of a split has class i mod C, shuffled).
/// </summary>
public static class NeedleTask
{
    /// <summary>The padding id.</summary>
    public const int PadId = 0;

    /// <summary>The [CLS] id, always at position 0.</summary>
    public const int ClsId = 1;

    /// <summary>The id of needle class 0; class c is <c>FirstNeedleId + c</c>.</summary>
    public const int FirstNeedleId = 2;

    /// <summary>The vocabulary size a model for this task needs.</summary>
    public static int VocabSize(NeedleTaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FirstNeedleId + options.Classes + options.HaystackSymbols;
    }

    /// <summary>
    /// <paramref name="count"/> examples drawn from <paramref name="seed"/> alone (System.Random with a seed is stable
    /// within one .NET version; the demo regenerates its data each run, so nothing depends on it across versions).
    /// </summary>
    public static NeedleExample[] Generate(int count, NeedleTaskOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options.Validate();
        var random = new Random(seed);
        var labels = Enumerable.Range(0, count).Select(i => i % options.Classes).ToArray();
        random.Shuffle(labels);
        int haystack = FirstNeedleId + options.Classes;
        var examples = new NeedleExample[count];
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(options.MinLength, options.MaxLength + 1);
            var ids = new int[length];
            ids[0] = ClsId;
            for (int t = 1; t < length; t++) ids[t] = haystack + random.Next(options.HaystackSymbols);
            int position = random.Next(options.MinDistance, length);
            ids[position] = FirstNeedleId + labels[i];
            examples[i] = new NeedleExample(ids, labels[i], position);
        }
        return examples;
    }
}
