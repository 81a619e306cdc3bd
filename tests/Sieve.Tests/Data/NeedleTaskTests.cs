// The demo's needle task: exactly one needle, far from [CLS], whose symbol is the label; balanced and seeded.
using Sieve.Data.Needle;

namespace Sieve.Tests.Data;

public sealed class NeedleTaskTests
{
    private static readonly NeedleTaskOptions _options = new() { MinLength = 40, MaxLength = 60, Classes = 3, HaystackSymbols = 5, MinDistance = 10 };

    [Fact]
    public void EveryExample_HasOneNeedleFarFromCls_WhoseSymbolIsTheLabel()
    {
        var examples = NeedleTask.Generate(300, _options, seed: 4);
        int vocab = NeedleTask.VocabSize(_options);
        Assert.Equal(2 + 3 + 5, vocab);
        foreach (var e in examples)
        {
            Assert.InRange(e.Ids.Length, 40, 60);
            Assert.Equal(NeedleTask.ClsId, e.Ids[0]);
            var needles = Enumerable.Range(0, e.Ids.Length).Where(t => e.Ids[t] >= NeedleTask.FirstNeedleId && e.Ids[t] < NeedleTask.FirstNeedleId + 3).ToArray();
            Assert.Equal([e.NeedlePosition], needles);
            Assert.True(e.NeedlePosition >= 10);
            Assert.Equal(NeedleTask.FirstNeedleId + e.Label, e.Ids[e.NeedlePosition]);
            Assert.All(e.Ids, id => Assert.InRange(id, 1, vocab - 1));
        }
        Assert.Equal([100, 100, 100], examples.GroupBy(e => e.Label).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void TheSameSeed_GivesTheSameData_AndAnotherSeedDoesNot()
    {
        var a = NeedleTask.Generate(20, _options, seed: 1);
        var b = NeedleTask.Generate(20, _options, seed: 1);
        var c = NeedleTask.Generate(20, _options, seed: 2);
        Assert.True(a.Zip(b).All(p => p.First.Ids.SequenceEqual(p.Second.Ids) && p.First.Label == p.Second.Label));
        Assert.False(a.Zip(c).All(p => p.First.Ids.SequenceEqual(p.Second.Ids)));
    }

    [Fact]
    public void ImpossibleOptions_NameTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NeedleTask.Generate(1, _options with { MinLength = 10 }, 0));
        Assert.Equal("MinLength", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => NeedleTask.Generate(1, _options with { Classes = 1 }, 0));
        Assert.Equal("Classes", error.ParamName);
    }
}
