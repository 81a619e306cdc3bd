// What a learnable pattern learned, as `sieve evaluate` reports it: AAA Table 6 shares averaged over batches by tokens,
// the learned offsets and degrees per layer, and the rows and columns an aaa layer selected for one input.
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Tests.Learnable;

public sealed class LearnedPatternReportTests
{
    private static BertConfig Config => LearnableTestSupport.TinyBertConfig with { NumLabels = 2 };

    private static void Scramble(LearnablePattern learned, double spread) => LearnableTestSupport.Scramble(learned, spread);

    // Examples of very different lengths, so that batches hold very different numbers of tokens.
    private static EncodedExample[] Examples(int count, ulong seed)
    {
        var random = new Random((int)seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            int n = i % 3 == 0 ? 20 : 3 + (i % 4);
            int[] ids = [.. Enumerable.Range(0, n).Select(_ => random.Next(1, 40))];
            return new EncodedExample(ids, new int[n], new PatternContext(n) { Example = i }, i % 2);
        })];
    }

    [Fact]
    public void Accumulator_WeighsEachBatchByItsTokens()
    {
        var accumulator = new AxisSelectionAccumulator();
        Assert.True(accumulator.IsEmpty);
        accumulator.Add([new AxisSelection(0, 0.5, 0.25, 8), new AxisSelection(1, 0, 1, 8)]);
        accumulator.Add([new AxisSelection(0, 1.0, 0.0, 4), new AxisSelection(1, 0.5, 0.5, 4)]);
        var shares = accumulator.Shares;
        Assert.Equal(2, shares.Count);
        // Layer 0: rows (4 + 4)/12, columns (2 + 0)/12; an unweighted mean would give 0.75 and 0.125.
        Assert.Equal(8.0 / 12, shares[0].RowShare, 12);
        Assert.Equal(2.0 / 12, shares[0].ColumnShare, 12);
        Assert.Equal(12, shares[0].Tokens);
        Assert.Equal(2.0 / 12, shares[1].RowShare, 12);
        Assert.Equal(10.0 / 12, shares[1].ColumnShare, 12);
    }

    [Fact]
    public void Accumulator_RejectsSharesOutsideZeroOne_AndNegativeCounts()
    {
        var accumulator = new AxisSelectionAccumulator();
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add([new AxisSelection(0, 1.5, 0, 3)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Add([new AxisSelection(0, 0.5, 0, -1)]));
    }

    [Fact]
    public void Evaluate_OfAnAaaModel_ReportsTheSharesOverEveryToken_WhateverTheBatching()
    {
        manual_seed(11);
        using var model = new BertForSequenceClassification(Config);
        Scramble(model.Bert.UseLearnablePattern(LearnableSpec.Parse("aaa(local=1)")), spread: 2);
        var task = TaskDefinition.For(TaskKind.Sst2);
        var examples = Examples(12, seed: 3);

        // All examples in one batch: the shares of that single forward are the shares over every token.
        var whole = TaskEvaluator.Evaluate(model, task, examples, padId: 0, batchSize: examples.Length);
        var expected = whole.Learned!.Layers;
        // In batches of 5 (sorted by length: 8 short examples, then 4 long ones), holding very different token counts.
        var batched = TaskEvaluator.Evaluate(model, task, examples, padId: 0, batchSize: 5);

        Assert.Equal(LearnableSpec.Parse("aaa(local=1)").ToString(), batched.Learned!.Spec);
        Assert.Equal(2, batched.Learned.Layers.Count);
        for (int l = 0; l < 2; l++)
        {
            var layer = batched.Learned.Layers[l];
            Assert.Equal(l, layer.Layer);
            Assert.Equal(examples.Sum(e => e.InputIds.Length), layer.Tokens);
            Assert.Equal(expected[l].RowShare!.Value, layer.RowShare!.Value, 5);
            Assert.Equal(expected[l].ColumnShare!.Value, layer.ColumnShare!.Value, 5);
            Assert.InRange(layer.RowShare.Value, 0, 1);
            Assert.Null(layer.Offsets);
            Assert.Equal(whole.Learned!.Layers[l].RowShare!.Value, layer.RowShare.Value, 5);
        }
        Assert.True(expected.Any(s => s.RowShare is > 0 and < 1 || s.ColumnShare is > 0 and < 1), "the scrambled scorers should select some tokens, not all");
    }

    [Theory]
    [InlineData("learned_diagonal(max_offset=4, level=task+layer)+global(1)")]
    [InlineData("learned_diagonal(max_offset=4, level=task)")]
    public void Report_OfALearnedDiagonal_ListsEachLayersKeptOffsetsPerHead(string spec)
    {
        manual_seed(12);
        using var model = new BertModel(Config);
        var learned = (LearnedDiagonalPattern)model.UseLearnablePattern(LearnableSpec.Parse(spec));
        Scramble(learned, spread: 4);
        var report = LearnedPatternReport.Of(model)!;
        Assert.Equal(2, report.Layers.Count);
        var hardened = learned.Harden();
        for (int l = 0; l < 2; l++)
        {
            var heads = report.Layers[l].Offsets!;
            Assert.Equal([0, 1], heads.Select(h => h.Head));
            Assert.Null(report.Layers[l].RowShare);
            for (int h = 0; h < 2; h++)
            {
                // Independent of LearnedOffsets(): the offsets a head keeps are the diagonals of its hardened pattern.
                var layout = CsrLayout.Build(hardened.ForLayerHead(l, h), new PatternContext(12) { Layer = l, Head = h }, EmptyRowPolicy.Keep);
                int[] diagonals = [.. Enumerable.Range(0, 5).Where(o => Enumerable.Range(o + 1, 11 - o).All(i => layout.Row(i).Contains(i - o)))];
                Assert.Equal(diagonals, heads[h].Offsets);
            }
        }
    }

    [Fact]
    public void Report_OfLearnedDegrees_ListsTheBandOfEveryHead_AndDenseOrFixedModelsHaveNone()
    {
        manual_seed(13);
        using var model = new BertModel(Config);
        var learned = (LearnedDegreePattern)model.UseLearnablePattern(LearnableSpec.Parse("learned_degree(max_degree=5, per=head)"));
        Scramble(learned, spread: 4);
        var report = LearnedPatternReport.Of(model)!;
        for (int l = 0; l < 2; l++)
        {
            Assert.Equal([0, 1], report.Layers[l].Degrees!.Select(d => d.Head));
            foreach (var head in report.Layers[l].Degrees!)
            {
                // The degree d of a band local(d): row 10 of N = 20 keeps 2d + 1 keys.
                var layout = CsrLayout.Build(learned.Harden().ForLayerHead(l, head.Head), new PatternContext(20) { Layer = l, Head = head.Head }, EmptyRowPolicy.Keep);
                Assert.Equal((2 * head.Degrees.Single()) + 1, layout.Row(10).Length);
            }
        }

        using var dense = new BertModel(Config);
        Assert.Null(LearnedPatternReport.Of(dense));
        using var withPattern = new BertModel(Config) { Attention = new AttentionSettings { Pattern = PatternSpec.Parse("local(1)") } };
        Assert.Null(LearnedPatternReport.Of(withPattern));
    }

    [Fact]
    public void SelectedAxes_OfOneInput_CountAsTheLayersShares()
    {
        manual_seed(14);
        using var model = new BertModel(Config);
        Scramble(model.UseLearnablePattern(LearnableSpec.Parse("aaa(local=1)+global(1)")), spread: 2);
        model.eval();
        using var ids = randint(1, 40, [1, 15], generator: new Generator(8));                 // [1, N]
        var output = model.forward(ids);
        using var hidden = output.LastHiddenState;                                             // [1, N, Hd]
        bool anySelected = false;
        for (int l = 0; l < 2; l++)
        {
            var selected = SelectedAxes.Of(output.Layouts!, l);
            var shares = output.Attention.AxisSelections![l];
            Assert.Equal(shares.RowShare, selected.Rows.Count / 15.0, 12);
            Assert.Equal(shares.ColumnShare, selected.Columns.Count / 15.0, 12);
            anySelected |= selected.Rows.Count + selected.Columns.Count > 0;
            // A selected row attends to every key in the layout the layer ran.
            foreach (int row in selected.Rows) Assert.Equal(15, output.Layouts![l][0, 0].Row(row).Length);
        }
        Assert.True(anySelected, "the scrambled scorers should select some tokens");
        // The fixed part alone (nothing selected) is not mistaken for a selection, even when it has an axis of its own.
        var none = SelectedAxes.Of(PatternSpec.Parse("local(1)+axis(rows=[2],cols=[3])"));
        Assert.Empty(none.Rows);
        Assert.Empty(none.Columns);
        var some = SelectedAxes.Of(PatternSpec.Parse("axis(rows=[4],cols=[1,5])+local(1)+global(1)"));
        Assert.Equal([4], some.Rows);
        Assert.Equal([1, 5], some.Columns);
    }
}
