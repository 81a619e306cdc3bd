// A reader for CoNLL-U dependency parses (Universal Dependencies v2 format: 10 TAB-separated columns, `#` comments,
// a blank line after each sentence), the input of the syntax pattern (Breaking BERT, METHODS.md §2.2).
using System.Globalization;

namespace Sieve.Patterns;

/// <summary>
/// Reads CoNLL-U text into <see cref="DependencySentence"/>s. Multi-word token lines (<c>3-4</c>) and empty nodes
/// (<c>5.1</c>) are skipped: the syntax pattern works on the basic tree over syntactic words. Every problem raises a
/// <see cref="ConlluFormatException"/> naming the line: a wrong column count, a bad or out-of-order ID, a non-numeric
/// head, a head outside the sentence, or a cycle (a word that never reaches a root).
/// </summary>
public static class ConlluParse
{
    // 0-based column positions of the fields read (CoNLL-U: ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC).
    private const int _columnCount = 10;
    private const int _idColumn = 0, _formColumn = 1, _headColumn = 6, _relationColumn = 7;

    /// <summary>Reads a CoNLL-U file; errors name <paramref name="path"/> and the line.</summary>
    public static IReadOnlyList<DependencySentence> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses CoNLL-U text; <paramref name="sourceName"/> is what error messages call the input.</summary>
    public static IReadOnlyList<DependencySentence> Parse(string text, string sourceName = "<text>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var sentences = new List<DependencySentence>();
        var pending = new Pending(sourceName);
        int lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                if (pending.Count > 0) sentences.Add(pending.Finish());
                continue;
            }
            if (line.StartsWith('#')) continue;
            pending.Add(line, lineNumber);
        }
        if (pending.Count > 0) sentences.Add(pending.Finish());
        return sentences;
    }

    /// <summary>The words of the sentence being read, checked line by line and then as a whole when it ends.</summary>
    private sealed class Pending(string sourceName)
    {
        private readonly List<string> _words = [];
        private readonly List<int> _heads = []; // 1-based CoNLL-U heads, 0 = root
        private readonly List<string> _relations = [];
        private readonly List<int> _lines = [];

        public int Count => _words.Count;

        public void Add(string line, int lineNumber)
        {
            var columns = line.Split('\t');
            if (columns.Length != _columnCount)
            {
                string hint = columns.Length == 1 && line.Contains(' ', StringComparison.Ordinal)
                    ? " (columns must be separated by TAB characters, not spaces)"
                    : "";
                throw Error(lineNumber, $"expected {_columnCount} TAB-separated columns, got {columns.Length}{hint}.");
            }
            string id = columns[_idColumn];
            // Multi-word tokens ("3-4") and empty nodes ("5.1") are not nodes of the basic dependency tree.
            if (id.Contains('-', StringComparison.Ordinal) || id.Contains('.', StringComparison.Ordinal)) return;
            if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int wordId))
                throw Error(lineNumber, $"the ID column must be a word number such as 3 (or a range 3-4, or an empty node 5.1), got '{id}'.");
            if (wordId != Count + 1)
                throw Error(lineNumber, $"word IDs must run 1, 2, 3, … within a sentence (is a blank line missing between sentences?): expected {Count + 1}, got {wordId}.");
            string head = columns[_headColumn];
            if (!int.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out int headId))
                throw Error(lineNumber, $"non-numeric head '{head}' in column 7 (HEAD): it must be the ID of the word's head, or 0 for the root.");
            if (headId == wordId)
                throw Error(lineNumber, $"cycle: word {wordId} is its own head; HEAD must name another word, or 0 for the root.");
            _words.Add(columns[_formColumn]);
            _heads.Add(headId);
            _relations.Add(columns[_relationColumn]);
            _lines.Add(lineNumber);
        }

        /// <summary>Checks the heads of the finished sentence (range, acyclicity) and returns it with 0-based heads.</summary>
        public DependencySentence Finish()
        {
            int n = Count;
            for (int w = 0; w < n; w++)
            {
                if (_heads[w] > n)
                    throw Error(_lines[w], $"head {_heads[w]} of word {w + 1} is out of range: the sentence has {n} words, so HEAD must be 0 (root) or 1..{n}.");
            }
            var heads = new int[n];
            for (int w = 0; w < n; w++) heads[w] = _heads[w] - 1;
            FindCycle(heads);
            var sentence = new DependencySentence([.. _words], heads, [.. _relations], _lines[0]);
            _words.Clear();
            _heads.Clear();
            _relations.Clear();
            _lines.Clear();
            return sentence;
        }

        /// <summary>Follows heads from every word; a walk that returns to a word of the same walk is a cycle. O(n).</summary>
        private void FindCycle(int[] heads)
        {
            const int Unseen = 0, ReachesRoot = -1;
            var state = new int[heads.Length];
            for (int start = 0; start < heads.Length; start++)
            {
                int walk = start + 1;
                int v = start;
                while (v >= 0 && state[v] == Unseen)
                {
                    state[v] = walk;
                    v = heads[v];
                }
                if (v >= 0 && state[v] == walk)
                {
                    var cycle = new List<int> { v + 1 };
                    for (int u = heads[v]; u != v; u = heads[u]) cycle.Add(u + 1);
                    cycle.Add(v + 1);
                    throw Error(_lines[v], $"cycle in the heads: {string.Join(" → ", cycle)}; every word must reach a root (HEAD 0) by following heads.");
                }
                for (int u = start; u >= 0 && state[u] == walk; u = heads[u]) state[u] = ReachesRoot;
            }
        }

        private ConlluFormatException Error(int line, string problem) => new(sourceName, line, problem);
    }
}
