// The spec grammar: canonical round trip of every pattern, precedence and associativity, whitespace, and every error
// message a user can hit (column and what was expected).
namespace Sieve.Patterns.Tests;

public class PatternSpecTests
{
    public static TheoryData<string> CanonicalSpecs =>
    [
        "full", "local(2)", "global(1)", "global(tokens=special)", "global(tokens=segment0)", "dilated(2,3)",
        "diagonal(0,1,5)", "axis(rows=[0,3],cols=[])", "axis(rows=[],cols=[1,2])", "random(2,seed=0)",
        "random(1,seed=18446744073709551615)".Replace("18446744073709551615", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
        "bigbird(1,2,3,seed=4)", "bigbird_blocks(64,3,seed=0)", "longformer(4,2,1)", "strided(8)", "strided(8,causal=false)",
        "fixed(8,2)", "fixed(8,2,causal=false)", "logsparse", "logsparse(causal=false)", "star",
        "syntax(1)", "syntax(2,special=global)", "lexical(3)", "lexical(1,special=global)", "syntax(1)+local(1)",
        "local(2)+global(2)", "local(1)+global(1)+random(1,seed=0)", "local(3)-diagonal(1)", "local(3)-(local(1)-diagonal(0))",
        "local(3)&global(1)+star", "local(3)&(global(1)+star)", "(local(1)+global(1))&strided(2)",
        "layers(0-5:full;6-11:local(1)+global(1))", "heads(0-3:local(2);*:global(2))",
        "layers(0:star;1-2:heads(0:full;1-11:local(1));*:full)-diagonal(0)",
    ];

    [Theory]
    [MemberData(nameof(CanonicalSpecs))]
    public void Canonical_specs_print_back_unchanged(string spec)
    {
        var pattern = PatternSpec.Parse(spec);
        Assert.Equal(spec, pattern.ToString());
        Assert.Equal(pattern, PatternSpec.Parse(pattern.ToString()));
    }

    [Fact]
    public void Constructed_patterns_round_trip_through_their_spec()
    {
        Pattern[] patterns =
        [
            new DiagonalPattern([5, 0, 5, 2]), new AxisPattern([4, 1, 4], [9]), new GlobalTokensPattern(GlobalTokenSet.Segment0),
            new RandomPattern(3, 42), new BigBirdPattern(2, 3, 1, 9), new BigBirdBlocksPattern(16, 2, 1), new LongformerPattern(6, 1, 0),
            new StridedPattern(3, causal: false), new FixedPattern(4, 1), new LogSparsePattern(false), new StarPattern(),
            new SchedulePattern(ScheduleAxis.Heads, [new ScheduleEntry(2, 3, new LocalPattern(1)), new ScheduleEntry(0, 1, new FullPattern())]),
            (new LocalPattern(1) - new GlobalPattern(1)) - (new LocalPattern(2) & (new FullPattern() + new StarPattern())),
        ];
        foreach (var pattern in patterns)
        {
            var parsed = PatternSpec.Parse(pattern.ToString());
            Assert.Equal(pattern, parsed);
            Assert.Equal(pattern.GetType(), parsed.GetType());
        }
        Assert.Equal("diagonal(0,2,5)", patterns[0].ToString());
        Assert.Equal("heads(0-1:full;2-3:local(1))", patterns[^2].ToString());
    }

    [Theory]
    [InlineData(" local ( 2 ) +\tglobal( 1 )\n", "local(2)+global(1)")]
    [InlineData("layers( 0 - 5 : full ; * : star )", "layers(0-5:full;*:star)")]
    [InlineData("local(k=2)", "local(2)")]
    [InlineData("random(seed=3, r=1)", "random(1,seed=3)")]
    [InlineData("random(1)", "random(1,seed=0)")]
    [InlineData("longformer(4)", "longformer(4,1,1)")]
    [InlineData("axis(cols=[2,1,2])", "axis(rows=[],cols=[1,2])")]
    [InlineData("strided(4, causal=true)", "strided(4)")]
    [InlineData("star()", "star")]
    [InlineData("((local(1)))", "local(1)")]
    public void Equivalent_spellings_print_canonically(string spec, string canonical) =>
        Assert.Equal(canonical, PatternSpec.Parse(spec).ToString());

    [Fact]
    public void Intersection_binds_tighter_and_plus_minus_associate_left()
    {
        var mixed = Assert.IsType<UnionPattern>(PatternSpec.Parse("local(1)+global(1)&star"));
        Assert.IsType<IntersectionPattern>(mixed.Right);
        var chain = Assert.IsType<DifferencePattern>(PatternSpec.Parse("full-local(1)-local(2)"));
        Assert.IsType<DifferencePattern>(chain.Left);
        Assert.Equal("full-local(1)-local(2)", chain.ToString());
        // (a − b) − c and a − (b − c) differ as sets: check the map too.
        var context = new PatternContext(9);
        Assert.False(Dense.SameAs(Dense.Of(chain, context), Dense.Of(PatternSpec.Parse("full-(local(1)-local(2))"), context)));
    }

    [Theory]
    [InlineData("locl(2)", 1, "unknown pattern 'locl' at column 1; did you mean 'local'?")]
    [InlineData("full+globl(1)", 6, "unknown pattern 'globl' at column 6; did you mean 'global'?")]
    [InlineData("zzzzzzzz", 1, "unknown pattern 'zzzzzzzz' at column 1; known patterns: full, local")]
    [InlineData("local(-1)", 1, "local(k) needs k >= 0, got -1")]
    [InlineData("longformer(3,1,1)", 1, "longformer(w,d,g) needs an even w >= 0 (w/2 keys per side), got 3")]
    [InlineData("fixed(4,5)", 1, "fixed(l,c) needs 0 <= c <= l, got c = 5 with l = 4")]
    [InlineData("diagonal()", 1, "diagonal(o1,o2,...) needs at least one offset, got none")]
    [InlineData("local(2 x", 9, "expected ')' at column 9 but found 'x'")]
    [InlineData("local(2", 8, "expected ')' at column 8 but found the end of the spec")]
    [InlineData("local(q=1)", 7, "unknown argument 'q' at column 7 for local; it takes k")]
    [InlineData("local(1,2)", 9, "local takes at most 1 argument (k) but got 2; the extra one is at column 9")]
    [InlineData("full(1)", 6, "full takes no arguments but got 1")]
    [InlineData("local()", 7, "local(k) is missing argument k")]
    [InlineData("local(x)", 7, "argument k of local(k) must be an integer at column 7, got 'x'")]
    [InlineData("local([1])", 7, "argument k of local(k) must be an integer at column 7, got '[1]'")]
    [InlineData("strided(2,causal=maybe)", 18, "must be true or false, got 'maybe'")]
    [InlineData("global(tokens=cls)", 15, "must be one of special, segment0, got 'cls'")]
    [InlineData("syntax(1,special=cls)", 18, "must be one of self, global, got 'cls'")]
    [InlineData("syntax(0)", 1, "syntax(k) needs k >= 1 (the number of dependency hops), got 0")]
    [InlineData("lexicl(2)", 1, "unknown pattern 'lexicl' at column 1; did you mean 'lexical'?")]
    [InlineData("random(1,seed=-2)", 15, "random(r,seed) needs seed >= 0, got -2")]
    [InlineData("local(1) global(1)", 10, "unexpected 'global' at column 10 after a complete pattern")]
    [InlineData("local(1))", 9, "unexpected ')' at column 9 after a complete pattern")]
    [InlineData("local(1)+", 10, "expected a pattern name or '(' at column 10 but found the end of the spec")]
    [InlineData("", 1, "the spec is empty")]
    [InlineData("local(1) % 2", 10, "unexpected character '%' at column 10")]
    [InlineData("local(99999999999)", 7, "out of range")]
    [InlineData("local(1.5)", 7, "argument k of local(k) must be a whole number at column 7, got '1.5'")]
    [InlineData("local(k=1,k=2)", 11, "argument k of local is given twice")]
    public void Errors_name_the_column_and_what_was_expected(string spec, int column, string expected)
    {
        var error = Assert.Throws<SpecException>(() => PatternSpec.Parse(spec));
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
        Assert.Equal(spec, error.Spec);
        Assert.Contains(error.Problem, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(new string(' ', column - 1) + "^", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_named_pattern_parses_from_the_names_list()
    {
        // Guards the dispatch table against a name whose builder cannot be reached: each name gives either a pattern or
        // an argument error, never "unknown pattern".
        foreach (string name in PatternSpec.Names)
        {
            try
            {
                PatternSpec.Parse(name);
            }
            catch (SpecException error)
            {
                Assert.DoesNotContain("unknown pattern", error.Problem, StringComparison.Ordinal);
            }
        }
    }
}
