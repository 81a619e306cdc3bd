// Tests of syntax(k) (Breaking BERT's syntax pattern, METHODS.md §2.2): the 3n − 2 count of a tree, hand-drawn k-hop
// closures and word-piece expansions, special=global, sentence pairs, context errors, and a brute-force reference.
namespace Sieve.Patterns.Tests;

public class SyntaxPatternTests
{
    // "The quick brown fox jumps over the lazy dog ." drawn by hand in UD style: the, quick, brown → fox; fox → jumps
    // (root); over, the, lazy → dog; dog, . → jumps.
    private const string FoxTree =
        "# text = The quick brown fox jumps over the lazy dog .\n" +
        "1\tThe\tthe\tDET\t_\t_\t4\tdet\t_\t_\n" +
        "2\tquick\tquick\tADJ\t_\t_\t4\tamod\t_\t_\n" +
        "3\tbrown\tbrown\tADJ\t_\t_\t4\tamod\t_\t_\n" +
        "4\tfox\tfox\tNOUN\t_\t_\t5\tnsubj\t_\t_\n" +
        "5\tjumps\tjump\tVERB\t_\t_\t0\troot\t_\t_\n" +
        "6\tover\tover\tADP\t_\t_\t9\tcase\t_\t_\n" +
        "7\tthe\tthe\tDET\t_\t_\t9\tdet\t_\t_\n" +
        "8\tlazy\tlazy\tADJ\t_\t_\t9\tamod\t_\t_\n" +
        "9\tdog\tdog\tNOUN\t_\t_\t5\tobl\t_\t_\n" +
        "10\t.\t.\tPUNCT\t_\t_\t5\tpunct\t_\t_\n";

    private static PatternContext WordsOnly(IReadOnlyList<int> heads) => new(heads.Count) { DependencyHeads = heads };

    [Fact]
    public void Syntax1_OnATreeWithoutWordPieces_Keeps3nMinus2()
    {
        var tree = ConlluParse.Parse(FoxTree).Single();
        var context = WordsOnly(tree.Heads);

        var layout = CsrLayout.Build(new SyntaxPattern(1), context);

        int n = tree.Count;
        Assert.Equal(3 * n - 2, layout.Nnz); // METHODS.md §1.2: n − 1 undirected arcs, both directions, plus n self-loops
        Assert.Equal([0, 1, 2, 3, 4], layout.Row(3).ToArray()); // fox: its three dependents, its head, itself
        Assert.Equal([3, 4, 8, 9], layout.Row(4).ToArray()); // jumps: fox, dog, '.', itself
        Assert.Equal([4, 5, 6, 7, 8], layout.Row(8).ToArray()); // dog: jumps, its three dependents, itself
        Assert.Empty(layout.EmptyRows);
    }

    [Fact]
    public void Syntax2_OnASmallTree_MatchesTheHandDrawnClosure()
    {
        // Tree: 0 is the root with children 1 and 2; 3 hangs under 1; 4 hangs under 3.
        //   0 ─ 1 ─ 3 ─ 4
        //   └── 2
        var context = WordsOnly([-1, 0, 0, 1, 3]);

        Assert.Equal(
            [
                "1111.", // 0: itself, 1 and 2 (one hop), 3 (via 1)
                "11111", // 1: 0 and 3, then 2 (via 0) and 4 (via 3)
                "111..", // 2: 0, then 1 (via 0)
                "11.11", // 3: 1 and 4, then 0 (via 1)
                ".1.11", // 4: 3, then 1 (via 3)
            ],
            MaskGrid.Render(new SyntaxPattern(2), context));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SyntaxK_OnAChainTree_EqualsLocalK(int k)
    {
        // A chain parse (each word headed by the next) is the neighbour graph, so its k-hop closure is Local_k.
        var heads = Enumerable.Range(0, 9).Select(w => w == 8 ? -1 : w + 1).ToArray();
        var context = WordsOnly(heads);

        Assert.Equal(MaskGrid.Render(new LocalPattern(k), context), MaskGrid.Render(new SyntaxPattern(k), context));
    }

    // "[CLS] un ##believ ##able story ends [SEP]": unbelievable → story → ends (root).
    private static PatternContext Unbelievable() => new(7)
    {
        WordIds = [-1, 0, 0, 0, 1, 2, -1],
        DependencyHeads = [1, 2, -1],
    };

    [Fact]
    public void Syntax1_WithWordPieces_GivesEveryPieceTheWordsEdges()
    {
        Assert.Equal(
            [
                "1......", // [CLS]: self-loop only
                ".1111..", // un: the pieces of 'unbelievable' and its head 'story'
                ".1111..", // ##believ: the same row
                ".1111..", // ##able: the same row
                ".11111.", // story: all of 'unbelievable', itself and 'ends'
                "....11.", // ends: 'story' and itself
                "......1", // [SEP]: self-loop only
            ],
            MaskGrid.Render(new SyntaxPattern(1), Unbelievable()));
    }

    [Fact]
    public void Syntax1_SpecialGlobal_AddsFullSpecialRowsAndColumns()
    {
        Assert.Equal(
            [
                "1111111", // [CLS]: every key
                "11111.1", // un: its word's row plus [CLS] and [SEP]
                "11111.1",
                "11111.1",
                "1111111", // story: already reaches every word, now the specials too
                "1...111", // ends
                "1111111", // [SEP]: every key
            ],
            MaskGrid.Render(new SyntaxPattern(1, SpecialTokenMode.Global), Unbelievable()));
    }

    [Fact]
    public void Syntax1_ClsAll_LetsOnlyTheClsRowSeeEverything()
    {
        // special=self's layout plus one full row: [CLS] reads every token, no token reads [CLS], [SEP] keeps its self-loop.
        Assert.Equal(
            [
                "1111111", // [CLS]: every key
                ".1111..", // un: as under special=self
                ".1111..",
                ".1111..",
                ".11111.", // story
                "....11.", // ends
                "......1", // [SEP]: self-loop only
            ],
            MaskGrid.Render(PatternSpec.Parse("syntax(1,cls=all)"), Unbelievable()));
        var self = CsrLayout.Build(new SyntaxPattern(1), Unbelievable());
        var cls = CsrLayout.Build(new SyntaxPattern(1, cls: ClsRow.All), Unbelievable());
        Assert.Equal(self.Nnz + 6, cls.Nnz);   // N − 1 more entries
        Assert.Equal("syntax(1,cls=all)", new SyntaxPattern(1, cls: ClsRow.All).ToString());
        Assert.Equal("syntax(1,special=global,cls=all)", PatternSpec.Parse("syntax(1, cls=all, special=global)").ToString());
        Assert.Equal(MaskGrid.Render(new SyntaxPattern(1, SpecialTokenMode.Global), Unbelievable()),
            MaskGrid.Render(new SyntaxPattern(1, SpecialTokenMode.Global, ClsRow.All), Unbelievable()));   // already global
        Assert.Equal(ContextInputs.DependencyHeads, new SyntaxPattern(1).Inputs);
    }

    [Fact]
    public void Syntax_OnASentencePair_HasNoArcAcrossThePair()
    {
        var first = ConlluParse.Parse(FoxTree).Single();
        var second = ConlluParse.Parse("1\tDogs\t_\t_\t_\t_\t2\tnsubj\t_\t_\n2\tbark\t_\t_\t_\t_\t0\troot\t_\t_\n").Single();
        // [CLS] first [SEP] second [SEP], one piece per word.
        var wordIds = new List<int> { -1 };
        wordIds.AddRange(Enumerable.Range(0, first.Count));
        wordIds.Add(-1);
        wordIds.AddRange(Enumerable.Range(first.Count, second.Count));
        wordIds.Add(-1);
        var context = new PatternContext(wordIds.Count)
        {
            WordIds = wordIds,
            DependencyHeads = DependencySentence.PairHeads(first, second),
        };
        int sep = first.Count + 1;

        // Even with many hops nothing reaches the other sentence: the pair is two separate trees.
        var layout = CsrLayout.Build(new SyntaxPattern(20), context);
        for (int row = 1; row < sep; row++)
            Assert.All(layout.Row(row).ToArray(), key => Assert.InRange(key, 1, sep - 1));
        for (int row = sep + 1; row < wordIds.Count - 1; row++)
            Assert.All(layout.Row(row).ToArray(), key => Assert.InRange(key, sep + 1, wordIds.Count - 2));
        // Each half with k = 1 keeps its own tree's 3n − 2, and the three special tokens one self-loop each.
        var one = CsrLayout.Build(new SyntaxPattern(1), context);
        Assert.Equal(3 * first.Count - 2 + 3 * second.Count - 2 + 3, one.Nnz);
    }

    [Fact]
    public void Bind_WithoutAParse_SaysWhichFieldIsMissing()
    {
        var error = Assert.Throws<ArgumentException>(() => new SyntaxPattern(1).Bind(new PatternContext(4)));
        Assert.Contains("syntax(1) needs PatternContext.DependencyHeads", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_WithLengthsThatDisagree_NamesTheFields()
    {
        var noWordIds = Assert.Throws<ArgumentException>(() => new SyntaxPattern(1).Bind(new PatternContext(5) { DependencyHeads = [-1, 0, 0] }));
        Assert.Contains("PatternContext.DependencyHeads has 3 words but the sequence has 5 tokens", noWordIds.Message, StringComparison.Ordinal);

        var shortWordIds = Assert.Throws<ArgumentException>(() =>
            new SyntaxPattern(1).Bind(new PatternContext(5) { DependencyHeads = [-1, 0, 0], WordIds = [-1, 0, 1, 2] }));
        Assert.Contains("PatternContext.WordIds has 4 entries but the sequence has 5 tokens", shortWordIds.Message, StringComparison.Ordinal);

        var wordOutOfParse = Assert.Throws<ArgumentException>(() =>
            new SyntaxPattern(1).Bind(new PatternContext(4) { DependencyHeads = [-1, 0], WordIds = [-1, 0, 2, -1] }));
        Assert.Contains("PatternContext.WordIds[2] = 2 is out of range", wordOutOfParse.Message, StringComparison.Ordinal);

        var badHead = Assert.Throws<ArgumentException>(() => new SyntaxPattern(1).Bind(new PatternContext(3) { DependencyHeads = [-1, 5, 0] }));
        Assert.Contains("PatternContext.DependencyHeads[1] = 5 is not a valid head", badHead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_WordsCutOffByTruncation_StillCarryPathsButGetNoRows()
    {
        // Parse of 4 words, but the sequence was truncated after word 2: [CLS] w0 w1 w2. Word 3 has no token.
        var context = new PatternContext(4) { WordIds = [-1, 0, 1, 2], DependencyHeads = [3, 3, 3, -1] };

        // w0, w1, w2 are siblings under the missing word 3: one hop reaches only the missing head, two hops each other.
        Assert.Equal(["1...", ".1..", "..1.", "...1"], MaskGrid.Render(new SyntaxPattern(1), context));
        Assert.Equal(["1...", ".111", ".111", ".111"], MaskGrid.Render(new SyntaxPattern(2), context));
    }

    [Fact]
    public void Spec_PrintsTheDefaultModeShortAndValidatesK()
    {
        Assert.Equal("syntax(1)", new SyntaxPattern(1).ToString());
        Assert.Equal("syntax(2,special=global)", new SyntaxPattern(2, SpecialTokenMode.Global).ToString());
        Assert.Equal(new SyntaxPattern(2), new SyntaxPattern(2, SpecialTokenMode.Self));
        Assert.NotEqual(new SyntaxPattern(2), new SyntaxPattern(2, SpecialTokenMode.Global));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SyntaxPattern(0));
    }

    [Fact]
    public void Syntax_OnRandomTrees_MatchesABruteForceDenseConstruction()
    {
        var random = new Random(20240611);
        for (int trial = 0; trial < 200; trial++)
        {
            var (context, words) = RandomParsedInput(random);
            int k = random.Next(1, 4);
            var special = random.Next(2) == 0 ? SpecialTokenMode.Self : SpecialTokenMode.Global;

            var actual = CsrLayout.Build(new SyntaxPattern(k, special), context, EmptyRowPolicy.Keep).ToDense();

            var expected = BruteForce(context, WordDistances(context.DependencyHeads!, words), k, special);
            Assert.Equal(MaskGrid.Render(expected), MaskGrid.Render(actual));
        }
    }

    /// <summary>A random forest of 1–3 trees (a sentence or pair), split into 1–3 pieces per word, with [CLS] and [SEP]s.</summary>
    private static (PatternContext Context, int Words) RandomParsedInput(Random random)
    {
        var heads = new List<int>();
        var wordIds = new List<int> { -1 };
        int sentences = random.Next(1, 4);
        for (int s = 0; s < sentences; s++)
        {
            int n = random.Next(1, 8);
            int offset = heads.Count;
            // A random tree: node i > 0 hangs under a random earlier node, then the labels are shuffled.
            var labels = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
            var local = new int[n];
            local[labels[0]] = -1;
            for (int i = 1; i < n; i++) local[labels[i]] = labels[random.Next(i)];
            foreach (int h in local) heads.Add(h < 0 ? -1 : h + offset);
            for (int w = 0; w < n; w++)
                for (int piece = random.Next(1, 4); piece > 0; piece--) wordIds.Add(offset + w);
            wordIds.Add(-1);
        }
        return (new PatternContext(wordIds.Count) { WordIds = wordIds, DependencyHeads = heads }, heads.Count);
    }

    /// <summary>All-pairs hop distances of the undirected parse by Floyd–Warshall (independent of the pattern's BFS).</summary>
    private static int[,] WordDistances(IReadOnlyList<int> heads, int words)
    {
        const int Far = 1 << 20;
        var d = new int[words, words];
        for (int u = 0; u < words; u++)
            for (int v = 0; v < words; v++) d[u, v] = u == v ? 0 : Far;
        for (int w = 0; w < words; w++)
            if (heads[w] >= 0) d[w, heads[w]] = d[heads[w], w] = 1;
        for (int m = 0; m < words; m++)
            for (int u = 0; u < words; u++)
                for (int v = 0; v < words; v++) d[u, v] = Math.Min(d[u, v], d[u, m] + d[m, v]);
        return d;
    }

    /// <summary>METHODS.md §2.2 written as a predicate on token pairs.</summary>
    private static bool[,] BruteForce(PatternContext context, int[,] distance, int k, SpecialTokenMode special)
    {
        int n = context.Length;
        var ids = context.WordIds!;
        var dense = new bool[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                bool iSpecial = ids[i] < 0, jSpecial = ids[j] < 0;
                dense[i, j] = iSpecial || jSpecial
                    ? i == j || special == SpecialTokenMode.Global
                    : distance[ids[i], ids[j]] <= k;
            }
        return dense;
    }
}
