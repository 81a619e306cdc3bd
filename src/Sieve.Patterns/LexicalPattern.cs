// Breaking BERT's lexical-similarity pattern (METHODS.md §2.2 [I]): each word linked to its m most similar other words
// by cosine of non-contextual embeddings, symmetrised, plus self-loops, mapped from words onto word pieces.
namespace Sieve.Patterns;

/// <summary>
/// <c>lexical(m)</c>: every word is linked to the m other words whose embeddings have the highest cosine similarity
/// with its own (ties go to the lower word index), the links are made undirected (u–v when v is in u's top m or u in
/// v's), and every word keeps its self-loop.
/// <para>
/// Similarity is over <b>words</b>, like the syntax pattern, so that both are the word-level graphs of METHODS.md §2.2
/// and share its word-piece mapping: a word's vector is the mean of its pieces' <see cref="PatternContext.TokenEmbeddings"/>
/// (with one token per word, or without <see cref="PatternContext.WordIds"/>, this is exactly token-level similarity).
/// Pieces of a word share its row and are fully connected; special tokens (word id −1) take no part in the similarity
/// and follow <see cref="Special"/>. A zero vector has cosine 0 with every word. Words of both sentences of a pair are
/// compared with each other: only syntactic arcs stop at the pair boundary.
/// </para>
/// Binding costs O(W²·d) time for W words of dimension d (every word is compared with every other) but only O(W·m) memory;
/// no W×W matrix is formed. Spec: <c>lexical(m)</c>, <c>lexical(m,special=global)</c> or <c>lexical(m,cls=all)</c>, m ≥ 1.
/// </summary>
public sealed class LexicalPattern : Pattern
{
    public LexicalPattern(int m, SpecialTokenMode special = SpecialTokenMode.Self, ClsRow cls = ClsRow.Special)
    {
        if (m < 1) throw new ArgumentOutOfRangeException(nameof(m), m, $"lexical(m) needs m >= 1 (the number of most similar words per word), got {m}");
        if (!Enum.IsDefined(special)) throw new ArgumentOutOfRangeException(nameof(special), special, "special must be self or global");
        M = m;
        if (!Enum.IsDefined(cls)) throw new ArgumentOutOfRangeException(nameof(cls), cls, "cls must be special or all");
        Special = special;
        Cls = cls;
    }

    /// <summary>How many most similar other words each word is linked to (before symmetrising).</summary>
    public int M { get; }

    /// <summary>How special tokens ([CLS], [SEP]) are treated.</summary>
    public SpecialTokenMode Special { get; }

    /// <summary>What [CLS] reads: as <see cref="Special"/> says, or every token (<c>cls=all</c>).</summary>
    public ClsRow Cls { get; }

    public override ContextInputs Inputs => ContextInputs.TokenEmbeddings;

    public override string ToString() =>
        $"lexical({M}{(Special == SpecialTokenMode.Self ? "" : $",special={Special.ToString().ToLowerInvariant()}")}{(Cls == ClsRow.Special ? "" : ",cls=all")})";

    public override PatternRows Bind(PatternContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string spec = ToString();
        var embeddings = context.TokenEmbeddings ?? throw new ArgumentException(
            $"{spec} needs PatternContext.TokenEmbeddings (a static embedding per token, e.g. BERT's input word-piece embeddings), but the context has none.", nameof(context));
        if (embeddings.Count != context.Length)
            throw new ArgumentException(
                $"{spec}: PatternContext.TokenEmbeddings has {embeddings.Count} vectors but the sequence has {context.Length} tokens; give one vector per token.", nameof(context));
        var pieces = WordPieces.From(context, spec, wordCount: null, nameof(PatternContext.WordIds));
        var vectors = WordVectors(pieces, embeddings, spec);

        // Top m per word by (similarity descending, index ascending), then symmetrised.
        int words = pieces.WordCount;
        var linked = new List<int>[words];
        for (int u = 0; u < words; u++) linked[u] = [];
        var best = new int[M];
        var bestScore = new double[M];
        for (int u = 0; u < words; u++)
        {
            if (vectors[u] is not { } vu) continue;
            int kept = 0;
            for (int v = 0; v < words; v++)
            {
                if (v == u || vectors[v] is not { } vv) continue;
                double score = Dot(vu, vv);
                // v comes after every kept word in index order, so it displaces only a strictly lower score.
                if (kept == M && score <= bestScore[M - 1]) continue;
                int at = kept < M ? kept++ : M - 1;
                while (at > 0 && bestScore[at - 1] < score)
                {
                    best[at] = best[at - 1];
                    bestScore[at] = bestScore[at - 1];
                    at--;
                }
                best[at] = v;
                bestScore[at] = score;
            }
            for (int i = 0; i < kept; i++)
            {
                linked[u].Add(best[i]);
                linked[best[i]].Add(u);
            }
        }
        var neighbours = new IReadOnlyList<int>[words];
        for (int u = 0; u < words; u++)
        {
            linked[u].Sort();
            neighbours[u] = [.. linked[u].Distinct()];
        }
        return pieces.Expand(neighbours, Special, Cls);
    }

    /// <summary>The unit-length mean vector of every word's pieces (null for a word without tokens), in double precision.</summary>
    private static double[]?[] WordVectors(WordPieces pieces, IReadOnlyList<float[]> embeddings, string spec)
    {
        int dimension = -1;
        var vectors = new double[]?[pieces.WordCount];
        for (int w = 0; w < pieces.WordCount; w++)
        {
            if (pieces.TokensOf[w].Length == 0) continue;
            double[]? sum = null;
            foreach (int t in pieces.TokensOf[w])
            {
                var e = embeddings[t];
                if (e is null || e.Length == 0)
                    throw new ArgumentException($"{spec}: PatternContext.TokenEmbeddings[{t}] is empty; every non-special token needs a vector.", nameof(embeddings));
                if (dimension < 0) dimension = e.Length;
                if (e.Length != dimension)
                    throw new ArgumentException(
                        $"{spec}: PatternContext.TokenEmbeddings[{t}] has {e.Length} dimensions but earlier vectors have {dimension}; all vectors must have the same size.", nameof(embeddings));
                sum ??= new double[dimension];
                for (int d = 0; d < dimension; d++)
                {
                    if (!float.IsFinite(e[d]))
                        throw new ArgumentException($"{spec}: PatternContext.TokenEmbeddings[{t}][{d}] is {e[d]}; embeddings must be finite.", nameof(embeddings));
                    sum[d] += e[d];
                }
            }
            // Cosine is scale-free, so the mean need not be divided by the piece count; normalising once makes each
            // similarity a plain dot product. A zero vector stays zero and so has cosine 0 with everything.
            double norm = Math.Sqrt(Dot(sum!, sum!));
            if (norm > 0) for (int d = 0; d < sum!.Length; d++) sum[d] /= norm;
            vectors[w] = sum;
        }
        return vectors;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int d = 0; d < a.Length; d++) sum += a[d] * b[d];
        return sum;
    }
}
