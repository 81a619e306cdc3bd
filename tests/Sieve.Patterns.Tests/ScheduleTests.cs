// Layer and head schedules: selection by PatternContext.Layer/Head, nesting, '*', errors, and PatternFor resolution.
namespace Sieve.Patterns.Tests;

public class ScheduleTests
{
    [Fact]
    public void Layers_schedule_binds_the_entry_of_the_context_layer()
    {
        var schedule = PatternSpec.Parse("layers(0-5: full; 6-11: local(1)+global(1))");
        for (int layer = 0; layer < 12; layer++)
        {
            var context = new PatternContext(20) { Layer = layer, Head = 3 };
            var expected = PatternSpec.Parse(layer <= 5 ? "full" : "local(1)+global(1)");
            Dense.Equal(Dense.Of(expected, context), Dense.Of(schedule, context), $"layer {layer}");
        }
    }

    [Fact]
    public void Nested_heads_schedule_with_star_selects_by_layer_then_head()
    {
        var schedule = PatternSpec.Parse("layers(0-1: heads(0-3: local(2); *: global(2)); *: full)");
        (int Layer, int Head, string Expected)[] cases =
            [(0, 0, "local(2)"), (1, 3, "local(2)"), (1, 4, "global(2)"), (0, 11, "global(2)"), (2, 0, "full"), (11, 7, "full")];
        foreach (var (layer, head, expected) in cases)
        {
            var context = new PatternContext(16) { Layer = layer, Head = head };
            Dense.Equal(Dense.Of(PatternSpec.Parse(expected), context), Dense.Of(schedule, context), $"layer {layer} head {head}");
            Assert.Equal(PatternSpec.Parse(expected), ((SchedulePattern)schedule).PatternFor(layer, head));
        }
    }

    [Fact]
    public void ForLayerHead_resolves_schedules_inside_compositions()
    {
        var pattern = PatternSpec.Parse("layers(0: local(1); 1: local(2)) + global(1)");
        Assert.Equal("local(1)+global(1)", pattern.ForLayerHead(0, 0).ToString());
        Assert.Equal("local(2)+global(1)", pattern.ForLayerHead(1, 5).ToString());
        var plain = PatternSpec.Parse("local(1)&global(3)");
        Assert.Same(plain, plain.ForLayerHead(4, 4));
    }

    [Fact]
    public void An_uncovered_layer_fails_at_bind_time_naming_it()
    {
        var schedule = PatternSpec.Parse("layers(0-5: full; 7: star)");
        var error = Assert.Throws<InvalidOperationException>(() => schedule.Bind(new PatternContext(4) { Layer = 6 }));
        Assert.Contains("layer 6", error.Message, StringComparison.Ordinal);
        var heads = PatternSpec.Parse("heads(0: full)");
        Assert.Contains("head 2", Assert.Throws<InvalidOperationException>(() => heads.Bind(new PatternContext(4) { Head = 2 })).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("layers(0-5: full; 4-6: star)", 19, "overlaps the earlier range 0-5")]
    [InlineData("layers(3: full; 0-3: star)", 17, "overlaps the earlier range 3")]
    [InlineData("heads(*: full; *: star)", 16, "second '*'")]
    [InlineData("layers(5-2: full)", 8, "reversed")]
    [InlineData("layers(0-5 full)", 12, "expected ':' at column 12")]
    [InlineData("layers(a: full)", 8, "expected an index")]
    public void Malformed_schedules_are_parse_errors(string spec, int column, string expected)
    {
        var error = Assert.Throws<SpecException>(() => PatternSpec.Parse(spec));
        Assert.Equal(column, error.Column);
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
    }
}
