// Specs a hostile or careless user can type: nesting deep enough to overflow the stack, thousands of atoms, and window
// arguments of a billion. Each must end in a SpecException at a column, or a layout built in time bounded by N.
using System.Diagnostics;

namespace Sieve.Patterns.Tests;

public class HostileSpecTests
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(2);

    [Fact]
    public void Deep_parentheses_are_refused_at_the_first_level_too_many()
    {
        string spec = new string('(', 8000) + "local(1)" + new string(')', 8000);
        var error = Assert.Throws<SpecException>(() => PatternSpec.Parse(spec));
        Assert.Equal(PatternSpec.MaxNesting + 1, error.Column);
        Assert.Contains("nests deeper than", error.Problem, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, "the message echoes a window of the spec, not all 16,000 characters");
    }

    [Fact]
    public void Deep_schedules_are_refused_like_parentheses()
    {
        var nested = new System.Text.StringBuilder();
        for (int i = 0; i < 5000; i++) nested.Append("layers(*: ");
        nested.Append("local(1)").Append(')', 5000);
        var error = Assert.Throws<SpecException>(() => PatternSpec.Parse(nested.ToString()));
        Assert.Contains("nests deeper than", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_still_parses()
    {
        string spec = new string('(', PatternSpec.MaxNesting) + "local(1)" + new string(')', PatternSpec.MaxNesting);
        Assert.Equal("local(1)", PatternSpec.Parse(spec).ToString());
    }

    [Fact]
    public void A_union_of_thousands_of_atoms_is_refused()
    {
        string spec = string.Join('+', Enumerable.Repeat("local(1)", 20_000));
        var error = Assert.Throws<SpecException>(() => PatternSpec.Parse(spec));
        Assert.Contains($"more than {PatternSpec.MaxAtoms} patterns", error.Problem, StringComparison.Ordinal);
        int expectedColumn = (PatternSpec.MaxAtoms * "local(1)+".Length) + 1;
        Assert.Equal(expectedColumn, error.Column);
    }

    [Theory]
    [InlineData("dilated(1000000000,1)", "full")]
    [InlineData("dilated(1000000000,3)", "dilated(12,3)")]
    [InlineData("dilated(2147483647,2147483647)", "diagonal(0)")]
    [InlineData("longformer(1000000000)", "full")]
    [InlineData("longformer(2147483646,1,2147483647)", "full")]
    [InlineData("local(2147483647)", "full")]
    public void Huge_windows_cost_what_the_sequence_does(string huge, string equivalent)
    {
        var clock = Stopwatch.StartNew();
        var layout = CsrLayout.Build(PatternSpec.Parse(huge), new PatternContext(12), EmptyRowPolicy.Keep);
        Assert.True(clock.Elapsed < _bound, $"{huge} took {clock.Elapsed} at N = 12");
        var expected = CsrLayout.Build(PatternSpec.Parse(equivalent), new PatternContext(12), EmptyRowPolicy.Keep);
        Assert.Equal(expected.Keys, layout.Keys);
        Assert.Equal(expected.RowOffsets, layout.RowOffsets);
    }

    [Fact]
    public void A_long_spec_error_shows_a_window_around_the_column()
    {
        string spec = string.Concat(Enumerable.Repeat("local(1)+", 100)) + "locl(1)";
        var error = Assert.Throws<SpecException>(() => PatternSpec.Parse(spec));
        string[] lines = error.Message.Split('\n');
        Assert.StartsWith("  …", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("locl(1)", lines[1], StringComparison.Ordinal);
        int caret = lines[2].IndexOf('^', StringComparison.Ordinal);
        Assert.Equal('l', lines[1][caret]);
        Assert.Equal("locl", lines[1].Substring(caret, 4));
    }
}
