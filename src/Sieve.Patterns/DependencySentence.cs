// One sentence of a CoNLL-U dependency parse (Universal Dependencies format), reduced to what the syntax pattern
// needs: the words and each word's head as a 0-based word index (−1 for a root). See METHODS.md §2.2.
namespace Sieve.Patterns;

/// <summary>
/// A parsed sentence: its words (multi-word token ranges and empty nodes already dropped), the head of every word as a
/// 0-based index into <see cref="Words"/> (−1 for a root) and the dependency relation of every word.
/// </summary>
public sealed record DependencySentence
{
    public DependencySentence(IReadOnlyList<string> words, IReadOnlyList<int> heads, IReadOnlyList<string> relations, int firstLine)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(relations);
        if (heads.Count != words.Count || relations.Count != words.Count)
            throw new ArgumentException($"a sentence needs one head and one relation per word: {words.Count} words, {heads.Count} heads, {relations.Count} relations.");
        Words = words;
        Heads = heads;
        Relations = relations;
        FirstLine = firstLine;
    }

    /// <summary>The word forms (CoNLL-U column FORM), in order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The head of every word as a 0-based word index, −1 for the root (CoNLL-U HEAD minus one).</summary>
    public IReadOnlyList<int> Heads { get; }

    /// <summary>The dependency relation of every word (CoNLL-U column DEPREL).</summary>
    public IReadOnlyList<string> Relations { get; }

    /// <summary>The 1-based line of the sentence's first word in its source, for error messages downstream.</summary>
    public int FirstLine { get; }

    /// <summary>How many words the sentence has.</summary>
    public int Count => Words.Count;

    /// <summary>
    /// The word-level <see cref="PatternContext.DependencyHeads"/> of a sentence pair (NLI, QQP): the words of
    /// <paramref name="first"/> then those of <paramref name="second"/>, with the second sentence's heads shifted by the
    /// first's length. Each sentence keeps its own root, so no arc crosses the pair (METHODS.md §2.2).
    /// </summary>
    public static int[] PairHeads(DependencySentence first, DependencySentence second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var heads = new int[first.Count + second.Count];
        for (int w = 0; w < first.Count; w++) heads[w] = first.Heads[w];
        for (int w = 0; w < second.Count; w++)
        {
            int head = second.Heads[w];
            heads[first.Count + w] = head < 0 ? -1 : head + first.Count;
        }
        return heads;
    }
}
