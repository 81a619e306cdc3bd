// ScheduleBounds: a layer or head schedule that names indices past the model, or leaves one uncovered, is refused
// naming the index and the count; one that fits (with or without '*') passes, nested and composed ones included.
namespace Sieve.Patterns.Tests;

public sealed class ScheduleBoundsTests
{
    [Theory]
    [InlineData("layers(0-1: full; 2-5: local(1))", "names layer 5 (2-5), but the model has 2 layers")]
    [InlineData("heads(0-7: local(1))", "names head 7 (0-7), but the model has 4 heads")]
    [InlineData("local(1)+layers(0: full; 3: global(1))", "names layer 3")]
    [InlineData("layers(*: heads(0: local(1); 9: full))", "names head 9")]
    [InlineData("layers(0: full)", "has no entry for layer 1")]
    [InlineData("heads(0-2: full)", "has no entry for head 3")]
    public void ASchedulePastTheModel_IsRefused(string spec, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => ScheduleBounds.Check(PatternSpec.Parse(spec), layers: 2, heads: 4));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("layers(0: full; 1: local(1))")]
    [InlineData("layers(0: full; *: local(1))")]
    [InlineData("heads(0-1: local(1); 2-3: global(1))")]
    [InlineData("local(2)+global(1)")]
    public void AScheduleThatFits_Passes(string spec) => ScheduleBounds.Check(PatternSpec.Parse(spec), layers: 2, heads: 4);
}
