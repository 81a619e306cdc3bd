// A `bigbird_grid:` entry declares Breaking BERT's BigBird component ablation (g global tokens × window ±w × r random
// keys) as rows without writing each spec by hand; bad values are errors at the entry's line.
using Sieve.Experiments;

namespace Sieve.Tests.Experiments;

public sealed class BigBirdGridTests
{
    private static string Spec(string grid) => $$"""
        name: bigbird
        config: tiny/config.json
        tasks:
          - name: rte
            data: data/RTE
        patterns:
          - full
          - {{grid}}
        seeds: [1]
        """;

    [Fact]
    public void A_grid_expands_to_one_row_per_combination_with_r_varying_fastest()
    {
        var spec = ExperimentSpec.Parse(Spec("bigbird_grid: {g: [0, 2], w: [1, 3], r: [0, 2], seed: 5}"), "/base");

        Assert.Equal(9, spec.Patterns.Count);
        Assert.Equal("full", spec.Patterns[0].Label);
        Assert.Equal(("BigBird g=0 w=1 r=0", "bigbird(0,1,0,seed=5)"), (spec.Patterns[1].Label, spec.Patterns[1].Spec));
        Assert.Equal(("BigBird g=0 w=1 r=2", "bigbird(0,1,2,seed=5)"), (spec.Patterns[2].Label, spec.Patterns[2].Spec));
        Assert.Equal(("BigBird g=2 w=3 r=2", "bigbird(2,3,2,seed=5)"), (spec.Patterns[8].Label, spec.Patterns[8].Spec));
        Assert.Equal(9, spec.Cells().Count);
        Assert.Equal("rte/BigBird g=2 w=1 r=0/all/seed-1/pretrain-no", spec.Cells()[5].Id);
    }

    [Fact]
    public void A_single_value_is_a_list_of_one_and_the_seed_defaults_to_0()
    {
        var spec = ExperimentSpec.Parse(Spec("bigbird_grid: {g: 1, w: [0, 1, 2], r: 1}"), "/base");
        Assert.Equal(["bigbird(1,0,1,seed=0)", "bigbird(1,1,1,seed=0)", "bigbird(1,2,1,seed=0)"], spec.Patterns.Skip(1).Select(p => p.Spec));
    }

    [Theory]
    [InlineData("bigbird_grid: {g: [1], w: [-1], r: [0]}", "spec:8: 'w' must be 0 or more")]
    [InlineData("bigbird_grid: {g: [1], w: [1]}", "spec:8: 'r:' is missing")]
    [InlineData("bigbird_grid: {g: [1], w: [1], r: [1], k: 2}", "spec:8: unknown key 'k' in bigbird_grid")]
    [InlineData("bigbird_grid: {g: [1, 1], w: [1], r: [1]}", "the pattern label 'BigBird g=1 w=1 r=1'")]
    public void A_bad_grid_is_an_error_that_says_where(string grid, string message)
    {
        var e = Assert.ThrowsAny<FormatException>(() => ExperimentSpec.Parse(Spec(grid), "/base"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
