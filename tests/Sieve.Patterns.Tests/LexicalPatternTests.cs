// Tests of lexical(m) (Breaking BERT's lexical-similarity pattern, METHODS.md §2.2): hand-made 2-D embeddings whose
// nearest neighbours are obvious, cosine rather than dot product, tie breaking, word-level similarity over pieces,
// special=global, context errors, and a brute-force reference on random inputs.
namespace Sieve.Patterns.Tests;

public class LexicalPatternTests
{
    // Two clusters and one vector in between: 0 and 1 point along x, 2 and 3 along y, 4 at 45° is equally close
    // (cosine 1/√2, exactly the same double) to all four.
    private static PatternContext Clusters() => new(5)
    {
        TokenEmbeddings = [[1, 0], [2, 0], [0, 1], [0, 3], [1, 1]],
    };

    [Fact]
    public void Lexical1_OnHandMadeVectors_LinksNearestNeighbours_TiesToTheLowerIndex()
    {
        // Top 1: 0→1, 1→0, 2→3, 3→2, 4→0 (a four-way tie, the lowest index wins); symmetrised, plus self-loops.
        Assert.Equal(
            [
                "11..1",
                "11...",
                "..11.",
                "..11.",
                "1...1",
            ],
            MaskGrid.Render(new LexicalPattern(1), Clusters()));
    }

    [Fact]
    public void Lexical2_OnHandMadeVectors_SymmetrisesTheTopTwo()
    {
        // Top 2: 0→{1,4}, 1→{0,4}, 2→{3,4}, 3→{2,4}, 4→{0,1} (tie among 0..3); 4 gains 2 and 3 by symmetry.
        Assert.Equal(
            [
                "11..1",
                "11..1",
                "..111",
                "..111",
                "11111",
            ],
            MaskGrid.Render(new LexicalPattern(2), Clusters()));
    }

    [Fact]
    public void Lexical2_TiedCandidates_KeepTheLowerIndexWhenABetterOneArrivesLater()
    {
        // For token 0 = (1, 0): tokens 1 = (1, 1) and 2 = (1, −1) tie at cosine 1/√2, and token 3 = (1, 0.1) comes
        // later with 0.995. Its top 2 is {3, 1}: the tie goes to 1. Tokens 4, 5 sit next to 2 so that 2 picks them,
        // not 0, and the symmetrisation cannot hide a wrong choice.
        var context = new PatternContext(6) { TokenEmbeddings = [[1, 0], [1, 1], [1, -1], [1, 0.1f], [1, -1.2f], [1, -1.3f]] };

        var layout = CsrLayout.Build(new LexicalPattern(2), context);

        Assert.Equal([0, 1, 3], layout.Row(0).ToArray());
        Assert.Equal([2, 4, 5], layout.Row(2).ToArray());
    }

    [Fact]
    public void Lexical_UsesCosineNotDotProduct()
    {
        // For token 0 = (1, 0): (0.9, 0.1) has cosine 0.994 but dot 0.9; (10, 10) has cosine 0.707 but dot 10.
        var context = new PatternContext(3) { TokenEmbeddings = [[1, 0], [10, 10], [0.9f, 0.1f]] };

        var layout = CsrLayout.Build(new LexicalPattern(1), context);

        Assert.Equal([0, 2], layout.Row(0).ToArray());
    }

    [Fact]
    public void Lexical_ComparesWords_ByTheMeanOfTheirPieces()
    {
        // [CLS] w0=(x, y pieces) w1 w2 w3 [SEP]. Word 0's mean (0.5, 0.5) points at 45° like w1 = (3, 3); w2 = (1, 0)
        // and w3 = (1, 0.1) point along x. Token by token, the piece (1, 0) of w0 would pick w2 instead.
        var context = new PatternContext(7)
        {
            WordIds = [-1, 0, 0, 1, 2, 3, -1],
            TokenEmbeddings = [[9, 9], [1, 0], [0, 1], [3, 3], [1, 0], [1, 0.1f], [-9, 4]],
        };

        Assert.Equal(
            [
                "1......", // [CLS]: self only (its embedding is ignored)
                ".111...", // both pieces of w0 and w1
                ".111...",
                ".111...", // w1
                "....11.", // w2 and w3
                "....11.",
                "......1", // [SEP]
            ],
            MaskGrid.Render(new LexicalPattern(1), context));
        Assert.Equal(
            [
                "1111111",
                "1111..1",
                "1111..1",
                "1111..1",
                "1...111",
                "1...111",
                "1111111",
            ],
            MaskGrid.Render(new LexicalPattern(1, SpecialTokenMode.Global), context));
    }

    [Fact]
    public void Lexical_ZeroVector_HasCosineZero()
    {
        // Token 1 is zero: it scores 0 with everyone, so token 0's best is token 2 (cosine 0.6 > 0); token 1 itself
        // ties at 0 with 0 and 2 and takes the lower index, 0.
        var context = new PatternContext(3) { TokenEmbeddings = [[1, 0], [0, 0], [0.6f, 0.8f]] };

        Assert.Equal(["111", "11.", "1.1"], MaskGrid.Render(new LexicalPattern(1), context));
    }

    [Fact]
    public void Lexical_MAtLeastTheWordCount_LinksEverything()
    {
        var context = Clusters();

        Assert.Equal(25, CsrLayout.Build(new LexicalPattern(10), context).Nnz);
    }

    [Fact]
    public void Bind_WithMissingOrMismatchedEmbeddings_NamesTheField()
    {
        var none = Assert.Throws<ArgumentException>(() => new LexicalPattern(1).Bind(new PatternContext(3)));
        Assert.Contains("lexical(1) needs PatternContext.TokenEmbeddings", none.Message, StringComparison.Ordinal);

        var count = Assert.Throws<ArgumentException>(() =>
            new LexicalPattern(1).Bind(new PatternContext(3) { TokenEmbeddings = [[1, 0], [0, 1]] }));
        Assert.Contains("PatternContext.TokenEmbeddings has 2 vectors but the sequence has 3 tokens", count.Message, StringComparison.Ordinal);

        var dimension = Assert.Throws<ArgumentException>(() =>
            new LexicalPattern(1).Bind(new PatternContext(2) { TokenEmbeddings = [[1, 0], [0, 1, 2]] }));
        Assert.Contains("PatternContext.TokenEmbeddings[1] has 3 dimensions but earlier vectors have 2", dimension.Message, StringComparison.Ordinal);

        var nan = Assert.Throws<ArgumentException>(() =>
            new LexicalPattern(1).Bind(new PatternContext(2) { TokenEmbeddings = [[1, 0], [0, float.NaN]] }));
        Assert.Contains("PatternContext.TokenEmbeddings[1][1] is NaN", nan.Message, StringComparison.Ordinal);

        var wordIds = Assert.Throws<ArgumentException>(() =>
            new LexicalPattern(1).Bind(new PatternContext(2) { TokenEmbeddings = [[1, 0], [0, 1]], WordIds = [0] }));
        Assert.Contains("PatternContext.WordIds has 1 entries but the sequence has 2 tokens", wordIds.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_PrintsTheDefaultModeShortAndValidatesM()
    {
        Assert.Equal("lexical(3)", new LexicalPattern(3).ToString());
        Assert.Equal("lexical(1,special=global)", new LexicalPattern(1, SpecialTokenMode.Global).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new LexicalPattern(0));
    }

    [Fact]
    public void Lexical_OnRandomInputs_MatchesABruteForceDenseConstruction()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int words = random.Next(1, 10);
            // At least 2 dimensions: in 1-D every cosine is ±1, exact ties whose rounding differs between two formulas.
            int dimension = random.Next(2, 6);
            var wordIds = new List<int> { -1 };
            for (int w = 0; w < words; w++)
                for (int piece = random.Next(1, 4); piece > 0; piece--) wordIds.Add(w);
            wordIds.Add(-1);
            var embeddings = wordIds.Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToList();
            var context = new PatternContext(wordIds.Count) { WordIds = wordIds, TokenEmbeddings = embeddings };
            int m = random.Next(1, 4);
            var special = random.Next(2) == 0 ? SpecialTokenMode.Self : SpecialTokenMode.Global;

            var actual = CsrLayout.Build(new LexicalPattern(m, special), context, EmptyRowPolicy.Keep).ToDense();

            Assert.Equal(MaskGrid.Render(BruteForce(context, words, m, special)), MaskGrid.Render(actual));
        }
    }

    /// <summary>
    /// The definition written out directly: a full W×W cosine matrix of the mean piece vectors, every word's others
    /// sorted by (cosine descending, index ascending), the first m kept, symmetrised, then mapped to token pairs.
    /// </summary>
    private static bool[,] BruteForce(PatternContext context, int words, int m, SpecialTokenMode special)
    {
        var ids = context.WordIds!;
        var embeddings = context.TokenEmbeddings!;
        int dimension = embeddings[0].Length;
        var mean = new double[words, dimension];
        for (int t = 0; t < ids.Count; t++)
            if (ids[t] >= 0)
                for (int d = 0; d < dimension; d++) mean[ids[t], d] += embeddings[t][d];
        var cosine = new double[words, words];
        for (int u = 0; u < words; u++)
            for (int v = 0; v < words; v++)
            {
                double dot = 0, nu = 0, nv = 0;
                for (int d = 0; d < dimension; d++)
                {
                    dot += mean[u, d] * mean[v, d];
                    nu += mean[u, d] * mean[u, d];
                    nv += mean[v, d] * mean[v, d];
                }
                cosine[u, v] = dot / Math.Sqrt(nu * nv);
            }
        var linked = new bool[words, words];
        for (int u = 0; u < words; u++)
        {
            linked[u, u] = true;
            foreach (int v in Enumerable.Range(0, words).Where(v => v != u).OrderByDescending(v => cosine[u, v]).ThenBy(v => v).Take(m))
                linked[u, v] = linked[v, u] = true;
        }
        int n = ids.Count;
        var dense = new bool[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                dense[i, j] = ids[i] < 0 || ids[j] < 0 ? i == j || special == SpecialTokenMode.Global : linked[ids[i], ids[j]];
        return dense;
    }
}
