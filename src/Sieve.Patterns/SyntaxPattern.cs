// Breaking BERT's syntax pattern (METHODS.md §2.2 [I]): attention along the undirected arcs of a dependency parse,
// optionally closed to k hops, plus self-loops, mapped from words onto word pieces.
namespace Sieve.Patterns;

/// <summary>
/// <c>syntax(k)</c>: word u attends to word v when v is at most k arcs from u in the undirected dependency graph of
/// <see cref="PatternContext.DependencyHeads"/> (k = 1: head and dependents), and to itself. For a tree on n words
/// with one token per word, <c>syntax(1)</c> keeps 3n − 2 entries (METHODS.md §1.2). Pieces of a word share its row and
/// are fully connected; special tokens (word id −1) follow <see cref="Special"/>. A sentence pair is two trees, so no
/// arc crosses the pair (build the heads with <see cref="DependencySentence.PairHeads"/>). Spec: <c>syntax(k)</c> or
/// <c>syntax(k,special=global)</c>, and <c>cls=all</c> to let [CLS] read every token; k ≥ 1.
/// </summary>
public sealed class SyntaxPattern : Pattern
{
    public SyntaxPattern(int k, SpecialTokenMode special = SpecialTokenMode.Self, ClsRow cls = ClsRow.Special)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, $"syntax(k) needs k >= 1 (the number of dependency hops), got {k}");
        if (!Enum.IsDefined(special)) throw new ArgumentOutOfRangeException(nameof(special), special, "special must be self or global");
        K = k;
        if (!Enum.IsDefined(cls)) throw new ArgumentOutOfRangeException(nameof(cls), cls, "cls must be special or all");
        Special = special;
        Cls = cls;
    }

    /// <summary>The number of hops: words up to k arcs apart in the undirected parse attend to each other.</summary>
    public int K { get; }

    /// <summary>How special tokens ([CLS], [SEP]) are treated.</summary>
    public SpecialTokenMode Special { get; }

    /// <summary>What [CLS] reads: as <see cref="Special"/> says, or every token (<c>cls=all</c>).</summary>
    public ClsRow Cls { get; }

    public override ContextInputs Inputs => ContextInputs.DependencyHeads;

    public override string ToString() =>
        $"syntax({K}{(Special == SpecialTokenMode.Self ? "" : $",special={Special.ToString().ToLowerInvariant()}")}{(Cls == ClsRow.Special ? "" : ",cls=all")})";

    /// <summary>Walks the parse once: a breadth-first search of depth k from every word, O(size of the k-hop closure).</summary>
    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string spec = ToString();
        var heads = context.DependencyHeads ?? throw new ArgumentException(
            $"{spec} needs PatternContext.DependencyHeads (the word-level dependency parse, e.g. from ConlluParse), but the context has none.", nameof(context));
        int words = heads.Count;
        var pieces = WordPieces.From(context, spec, words, nameof(PatternContext.DependencyHeads));

        // The undirected dependency graph over words, as adjacency lists.
        var degree = new int[words];
        for (int w = 0; w < words; w++)
        {
            int h = heads[w];
            if (h < -1 || h >= words || h == w)
                throw new ArgumentException(
                    $"{spec}: PatternContext.DependencyHeads[{w}] = {h} is not a valid head; it must be −1 (root) or another word in 0..{words - 1}.", nameof(context));
            if (h >= 0) { degree[w]++; degree[h]++; }
        }
        var adjacency = new int[words][];
        for (int w = 0; w < words; w++) adjacency[w] = new int[degree[w]];
        Array.Clear(degree);
        for (int w = 0; w < words; w++)
        {
            int h = heads[w];
            if (h < 0) continue;
            adjacency[w][degree[w]++] = h;
            adjacency[h][degree[h]++] = w;
        }

        // k-hop neighbourhoods by BFS; `seen` holds a stamp per search so it is never cleared (no N×N work).
        var neighbours = new IReadOnlyList<int>[words];
        var seen = new int[words];
        var queue = new int[words];
        var depth = new int[words];
        for (int source = 0; source < words; source++)
        {
            if (pieces.TokensOf[source].Length == 0) { neighbours[source] = []; continue; }
            int stamp = source + 1;
            seen[source] = stamp;
            int head = 0, tail = 0;
            queue[tail++] = source;
            depth[source] = 0;
            var found = new List<int>();
            while (head < tail)
            {
                int u = queue[head++];
                if (depth[u] == K) continue;
                foreach (int v in adjacency[u])
                {
                    if (seen[v] == stamp) continue;
                    seen[v] = stamp;
                    depth[v] = depth[u] + 1;
                    queue[tail++] = v;
                    found.Add(v);
                }
            }
            neighbours[source] = found;
        }
        return pieces.Expand(neighbours, Special, Cls);
    }
}
