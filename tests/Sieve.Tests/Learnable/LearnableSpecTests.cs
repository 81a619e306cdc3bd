// The learnable spec strings: canonical printing that parses back, defaults, the fixed part, errors that point at the
// column, and the module each spec builds.
using Sieve.Learnable;
using Sieve.Patterns;

namespace Sieve.Tests.Learnable;

public sealed class LearnableSpecTests
{
    [Theory]
    [InlineData("learned_diagonal(max_offset=128, level=task+layer)+global(1)", "learned_diagonal(max_offset=128,level=task+layer)+global(1)")]
    [InlineData("learned_diagonal(level=fixed)", "learned_diagonal(max_offset=128,level=fixed)")]
    [InlineData(" learned_diagonal( level = task , max_offset = 64 ) ", "learned_diagonal(max_offset=64,level=task)")]
    [InlineData("aaa()", "aaa(local=2)")]
    [InlineData("aaa(local=3)+global(1)", "aaa(local=3)+global(1)")]
    [InlineData("learned_degree(max_degree=8, per=head)", "learned_degree(max_degree=8,per=head)")]
    [InlineData("learned_degree(per=position,max_degree=4)+global(1)", "learned_degree(max_degree=4,per=position,max_length=512)+global(1)")]
    [InlineData("learned_diagonal(max_offset=8)+local(3)-local(1)", "learned_diagonal(max_offset=8,level=task+layer)+(local(3)-local(1))")]
    public void Parse_PrintsCanonically_AndRoundTrips(string spec, string canonical)
    {
        var parsed = LearnableSpec.Parse(spec);
        Assert.Equal(canonical, parsed.ToString());
        Assert.Equal(parsed, LearnableSpec.Parse(canonical));
        Assert.True(LearnableSpec.IsLearnable(spec));
    }

    [Fact]
    public void Parse_TakesPositionalArguments_AsEveryAtomOfTheGrammarDoes() =>
        Assert.Equal(LearnableSpec.Parse("learned_degree(max_degree=4,per=position)"), LearnableSpec.Parse("learned_degree(4, position)"));

    [Fact]
    public void Parse_ReadsEveryArgument()
    {
        var spec = LearnableSpec.Parse("learned_degree(max_degree=5,per=position,max_length=64)+global(2)");
        Assert.Equal(LearnableKind.LearnedDegree, spec.Kind);
        Assert.Equal(5, spec.MaxDegree);
        Assert.Equal(DegreeGranularity.Position, spec.Per);
        Assert.Equal(64, spec.MaxLength);
        Assert.Equal(new GlobalPattern(2), spec.Fixed);
        Assert.Equal(DiagonalLevel.Task, LearnableSpec.Parse("learned_diagonal(level=task)").Level);
        Assert.False(LearnableSpec.IsLearnable("local(2)+global(1)"));
    }

    [Theory]
    [InlineData("learned_diagonal(level=layer)", 24, "must be one of fixed, task, task+layer, got 'layer'")]
    [InlineData("aaa(width=2)", 5, "unknown argument 'width'")]
    [InlineData("learned_degree(max_degree=-1)", 27, "integer >= 0")]
    [InlineData("learned_degree(per=row)", 20, "must be one of head, position, got 'row'")]
    [InlineData("learned_diagonal(max_offset=4)+locl(2)", 32, "fixed part")]
    [InlineData("learned_diagonal(max_offset=4) global(1)", 32, "expected '+'")]
    [InlineData("learned_diagonal(max_offset=4", 30, "expected ')'")]
    [InlineData("aaa(local=1, local=2)", 14, "given twice")]
    [InlineData("learned_band(k=1)", 1, "unknown learnable pattern 'learned_band'")]
    [InlineData("learned_degre(max_degree=2)", 1, "did you mean 'learned_degree'?")]
    [InlineData("aaa(local=x)", 11, "argument local of aaa(local) must be an integer at column 11, got 'x'")]
    [InlineData("aaa(2, 3)", 8, "aaa takes at most 1 argument (local) but got 2")]
    public void Parse_Errors_SayWhatAndWhere(string spec, int column, string problem)
    {
        var error = Assert.Throws<SpecException>(() => LearnableSpec.Parse(spec));
        Assert.Equal(column, error.Column);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MakesTheModuleTheSpecNames()
    {
        var diagonal = Assert.IsType<LearnedDiagonalPattern>(LearnableSpec.Parse("learned_diagonal(max_offset=16,level=task)+global(1)").Build(4, 3, 8));
        Assert.Equal([1L, 3, 17], diagonal.Logits.shape);
        Assert.Equal(new GlobalPattern(1), diagonal.FixedPart);
        var aaa = Assert.IsType<AxisAttentionPattern>(LearnableSpec.Parse("aaa(local=1)").Build(4, 3, 8));
        Assert.Equal(new LocalPattern(1), aaa.FixedPart);
        Assert.Equal(8, aaa.Scorer(3).weight!.shape[1]);
        var degree = Assert.IsType<LearnedDegreePattern>(LearnableSpec.Parse("learned_degree(max_degree=2,per=position,max_length=32)").Build(4, 3, 8));
        Assert.Equal([4L, 3, 32, 3], degree.Logits.shape);
        Assert.Equal("local(2)", degree.Harden().ToString());   // initialised at the widest degree everywhere
    }

    [Theory]
    [InlineData("learned_diagonal(max_offset=1000000000)", "max_offset=1000000000")]
    [InlineData("learned_diagonal(max_offset=64)", "max_offset=64")]
    [InlineData("learned_degree(max_degree=1000000000)", "max_degree=1000000000")]
    [InlineData("learned_degree(max_degree=2,per=position,max_length=65)", "max_length=65")]
    public void CheckFits_RefusesWhatTheModelsPositionsCannotHold(string spec, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => LearnableSpec.Parse(spec).CheckFits(64));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("beyond the model's 64 positions", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("learned_diagonal(max_offset=63)")]
    [InlineData("learned_degree(max_degree=63,per=position,max_length=64)")]
    [InlineData("aaa(local=1000000000)")]   // a window wider than the sequence is full attention, not an allocation
    public void CheckFits_AcceptsWhatFits(string spec) => LearnableSpec.Parse(spec).CheckFits(64);
}
