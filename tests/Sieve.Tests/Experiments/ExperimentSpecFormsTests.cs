// Issue 13: an experiment grid reads its rows in the one spec grammar, as finetune reads --pattern: learnable patterns
// with their sparsity target per row, attention variants placed on a layer set, schedules; and it refuses, at the row's
// line, a cell that could not run (a learnable pattern on some layers only, or pre-trained).
using Sieve.Experiments;
using Sieve.FineTuning;
using Sieve.Learnable;
using Sieve.Metrics;
using Sieve.Training;

namespace Sieve.Tests.Experiments;

public sealed class ExperimentSpecFormsTests
{
    private const string Head = "config: c.json\ntasks: [{name: rte, data: d}]\n";

    private static ExperimentSpec Parse(string tail) => ExperimentSpec.Parse(Head + tail, "/base", "grid.yaml");

    [Fact]
    public void ALearnableRow_CarriesItsSparsityTarget_IntoItsCells()
    {
        var spec = Parse("""
            patterns:
              - full
              - label: LD
                spec: learned_diagonal(max_offset=16, level=task) + global(1)
                target_sparsity: 0.5
                alpha: 2
                alpha_schedule: linear
                sparsity_penalty: two-sided
              - linformer(k=8)
            """);
        var learned = spec.Patterns[1];
        Assert.Equal(LearnableSpec.Parse("learned_diagonal(max_offset=16,level=task)+global(1)").ToString(), learned.Spec);
        Assert.Equal(new SparsityLoss { Target = 0.5, Alpha = 2, Schedule = AlphaSchedule.LinearToHalf, Penalty = SparsityPenalty.TwoSided }, learned.Target);
        Assert.Null(spec.Patterns[0].Target);
        Assert.Equal(["full", learned.Spec, "linformer(k=8,share=none)"], spec.Cells().Select(c => c.PatternSpec));

        // The cell runner hands the row's target to fine-tuning with the cell's spec.
        var options = new List<FineTuneOptions>();
        var runner = FineTuneCellRunner.For(spec, (_, _, _, _) => throw new InvalidOperationException("no pre-training here"), (o, _, _, _) =>
        {
            options.Add(o);
            return new FineTuneResult(new TrainingResult(TrainingOutcome.Completed, 1, "done", null, null, null),
                new EvaluationResult([new MetricValue(MetricKind.Accuracy, 0.5)], 0.5, 0.5, 1, []), TimeSpan.FromSeconds(1), 1, null, 1, 0, o.Pattern);
        });
        var dir = Directory.CreateTempSubdirectory("sieve-forms-").FullName;
        try
        {
            runner(spec.Cells()[1], dir, null, null, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Equal((learned.Spec, learned.Target), (options[0].Pattern, options[0].SparsityTarget));
    }

    [Fact]
    public void AVariant_IsPlacedOnALayerSet_AsAPatternIs()
    {
        var spec = Parse("patterns: [local(1), entmax(alpha=1.5)]\nlayers: [all, {later: 6-11}]\n");
        Assert.Equal(
            ["local(1)", "layers(6-11:local(1);*:full)", "entmax(alpha=1.5)", "layers(6-11:entmax(alpha=1.5);*:full)"],
            spec.Cells().Select(c => c.PatternSpec));
    }

    [Theory]
    [InlineData("patterns:\n  - {spec: local(2), target_sparsity: 0.5}\n", "grid.yaml:4:", "is not one")]
    [InlineData("patterns:\n  - {spec: aaa(local=2), alpha: 2}\n", "grid.yaml:4:", "add target_sparsity")]
    [InlineData("patterns:\n  - {spec: aaa(local=2), target_sparsity: 0.5, alpha_schedule: cubic}\n", "grid.yaml:4:", "constant or linear")]
    [InlineData("patterns:\n  - full\n  - aaa(local=2)\nlayers: [all, {later: 1}]\n", "grid.yaml:5:", "learns every layer")]
    [InlineData("patterns: [\"layers(0: lsh; *: full)\"]\nlayers: [{later: 1}]\n", "grid.yaml:3:", "already says which layers run which variant")]
    [InlineData("patterns: [aaa(local=2)]\npretrain: [no, yes]\npretraining: {corpus: c.txt}\n", "grid.yaml:3:", "learns during fine-tuning only")]
    [InlineData("patterns: [linformr(k=4)]\n", "grid.yaml:3:", "did you mean 'linformer'?")]
    public void ACellThatCouldNotRun_IsRefusedAtItsRowsLine(string tail, string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Parse(tail));
        Assert.StartsWith(line, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
