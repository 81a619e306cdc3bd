// What a demo's report says around its table: the title, what was run, what to read in the results, the patterns to
// draw and at which length, and chance for the plot. One per demo task (the needle task, SST-2 on a pre-trained model).
using System.Globalization;
using Sieve.Learnable;
using Sieve.Patterns;

namespace Sieve.Demo;

/// <summary>The text and pictures of a demo report around its results table.</summary>
/// <param name="Title">The report's heading.</param>
/// <param name="Introduction">Markdown before the table: the task, the model and the budget.</param>
/// <param name="Discussion">Markdown after the table: how to read it.</param>
/// <param name="Patterns">The pattern specs run (the fixed ones are drawn).</param>
/// <param name="PictureContext">The example the patterns are drawn on (length, special tokens).</param>
/// <param name="Chance">The accuracy of guessing (the plot's dashed line).</param>
/// <param name="PlotTitle">The accuracy plot's title.</param>
/// <param name="MemoryHeading">What the runs' peak memory is (<see cref="ExtraMemory"/> or <see cref="ProcessMemory"/>).</param>
public sealed record DemoReportSetup(string Title, string Introduction, string Discussion, IReadOnlyList<string> Patterns,
    PatternContext PictureContext, double Chance, string PlotTitle, string MemoryHeading)
{
    /// <summary>The peak resident memory above the run's start: the needle runs, whose small models start from nothing.</summary>
    public const string ExtraMemory = "peak extra memory";

    /// <summary>
    /// The process's peak resident memory during the run's training: the fine-tuning runs, where the pre-trained model is
    /// loaded inside the run and a previous run's freed memory stays resident, so an "extra" would not compare.
    /// </summary>
    public const string ProcessMemory = "peak memory (process)";

    /// <summary>The needle demo (<c>sieve demo --task needle</c>): small encoders trained from scratch.</summary>
    public static DemoReportSetup ForNeedle(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var t = options.Task;
        var introduction = string.Create(CultureInfo.InvariantCulture, $"""
            Each sequence is [CLS] followed by {t.MinLength - 1}–{t.MaxLength - 1} random filler tokens, with one of {t.Classes} "needle"
            tokens hidden at least {t.MinDistance} positions after [CLS]; the label is which needle. The classifier reads [CLS]
            only, so the task is solved only if [CLS] can gather information from far away. Chance is {100.0 / t.Classes:0} %.

            Every pattern trains an encoder from scratch ({options.Layers} layers, {options.Heads} heads, hidden size {options.HiddenSize}{(options.Sublayers is null ? "" : $", sublayers {DemoRunner.ModelConfig(options).Sieve!.Sublayers}")})
            on the same {options.TrainExamples} examples for {options.Steps} steps of {options.BatchSize}, with seeds {string.Join(", ", options.Seeds)};
            accuracy is measured on {options.DevExamples} held-out examples. ρ is AAA's Eq. 9 measured on the layouts the
            model ran on (mean over examples, layers and heads of 1 − |B|/N², real lengths).
            """);
        var discussion = string.Create(CultureInfo.InvariantCulture, $"""
            With `local(2)` alone, [CLS] sees only the first {2 * options.Layers} positions after {options.Layers} layers and never
            the needle: it stays at chance. One global token (`+global(1)`) lets [CLS] attend everywhere and solves the task
            at almost the same sparsity — the effect of AAA's Table 2 (LRA Text: local 2 alone 52.88, with a global token 77.62).
            """);
        return new DemoReportSetup("Sieve demo: a long-range task, four attention patterns", introduction, discussion, options.Patterns,
            new PatternContext(48) { SpecialTokens = [0] }, 1.0 / t.Classes, "Needle task: accuracy against sparsity", ExtraMemory);
    }

    /// <summary>
    /// The default demo: <paramref name="options"/>' pre-trained model fine-tuned on the SST-2 sample; the discussion
    /// compares each pattern's mean accuracy with <c>full</c>'s from <paramref name="rows"/>.
    /// </summary>
    public static DemoReportSetup ForSst2(FineTuneDemoOptions options, double? targetSparsity, IReadOnlyList<DemoSummaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rows);
        var introduction = string.Create(CultureInfo.InvariantCulture, $"""
            The pre-trained `{options.ModelName}` encoder is fine-tuned on SST-2 (movie-review sentences, positive or negative;
            chance 50 %): the first {options.TrainExamples} sentences of the bundled GLUE sample, {options.Epochs} epoch(s) of batches of
            {options.BatchSize} grouped by length, learning rate {options.LearningRate:0.#####} with 10 % warm-up, at most {options.MaxLength} tokens, the
            classifier on the mean of the last hidden state; seeds {string.Join(", ", options.Seeds)}. Accuracy is on the first {options.DevExamples} sentences
            of the GLUE dev set (872 in all). ρ is AAA's Eq. 9 measured on the dev layouts the model ran on (mean over
            sentences, layers and heads of 1 − |B|/N², real lengths): on dev sentences of 4–55 tokens (median 24) a window of ±2 keeps a
            much larger share than on long inputs.
            {(targetSparsity is double rho ? $"\nLearnable patterns train towards ρ = {rho:0.000}, {(options.TargetSparsity is null ? $"the ρ of `{options.MatchSparsityOf}` on the same dev sentences" : "as asked")} (AAA Eq. 10, {(options.Penalty.Penalty == SparsityPenalty.TwoSided ? "two-sided" : "hinge")} penalty, α = {options.Penalty.Alpha}); their dev ρ is measured on the hardened pattern.\n" : "")}
            """);
        var full = rows.FirstOrDefault(r => r.Pattern == "full");
        var lines = full is null ? [] : rows.Where(r => r != full).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"- `{r.Pattern}`: ρ {r.Sparsity:0.000}, {100 * (r.Accuracy - full.Accuracy):+0.0;-0.0;0.0} points of accuracy against `full` ({100 * r.Accuracy:0.0} % against {100 * full.Accuracy:0.0} %)."));
        var discussion = string.Join("\n", lines) + """


            AAA's Table 1 (bert-base-cased, full SST-2, 30k steps) fine-tuned a densely pre-trained model with sparse attention:
            full 91, Local₂+Global₂ 89, Local₂+Global₁+Random₁ (`bigbird(1,2,1)`) 88. The table above is that comparison on a
            small model and a short budget, with the spread over seeds beside each mean.
            """;
        return new DemoReportSetup($"Sieve demo: {options.ModelName} fine-tuned on SST-2 with sparse attention", introduction, discussion,
            options.Patterns, new PatternContext(24) { SpecialTokens = [0, 23] }, 0.5, "SST-2 dev: accuracy against sparsity", ProcessMemory);
    }
}
