// The layouts of one pattern for every (layer, head) of a model at one length, built in parallel, and their Eq. 9 mean
// (AAA §4.1: ρ averages over layers and heads as well as examples).
using System.Runtime.ExceptionServices;

namespace Sieve.Patterns;

/// <summary>Builds and measures a pattern over all layers and heads of one example.</summary>
public static class PatternLayouts
{
    /// <summary>
    /// The layouts of <paramref name="pattern"/> for every layer and head, indexed <c>[layer * heads + head]</c>. Each map
    /// gets <paramref name="context"/> with its own Layer and Head, so the result does not depend on the thread count.
    /// </summary>
    public static CsrLayout[] BuildAll(Pattern pattern, PatternContext context, int layers, int heads,
        EmptyRowPolicy emptyRows = EmptyRowPolicy.AddDiagonal)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        return BuildParallel(layers * heads, index =>
            CsrLayout.Build(pattern, context with { Layer = index / heads, Head = index % heads }, emptyRows));
    }

    /// <summary>
    /// Builds <paramref name="count"/> layouts in parallel, <c>build(index)</c> for each index. A failure surfaces as the
    /// pattern's own exception, not wrapped in an AggregateException, so callers show its message; when several indices
    /// fail, the lowest index's exception wins, so the message does not depend on thread timing.
    /// </summary>
    public static CsrLayout[] BuildParallel(int count, Func<int, CsrLayout> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var layouts = new CsrLayout[count];
        var failures = new Exception?[count];
        Parallel.For(0, count, index =>
        {
            try { layouts[index] = build(index); }
            catch (Exception e) { failures[index] = e; }
        });
        if (Array.Find(failures, e => e is not null) is { } first) ExceptionDispatchInfo.Throw(first);
        return layouts;
    }

    /// <summary>AAA Eq. 9 for one example: the mean over layers and heads of 1 − |B|/N².</summary>
    public static double MeanSparsity(Pattern pattern, PatternContext context, int layers, int heads,
        EmptyRowPolicy emptyRows = EmptyRowPolicy.AddDiagonal) =>
        MeanSparsity(BuildAll(pattern, context, layers, heads, emptyRows));

    /// <summary>AAA Eq. 9 over already built layouts, summed in index order so that the result is reproducible.</summary>
    public static double MeanSparsity(IEnumerable<CsrLayout> layouts)
    {
        ArgumentNullException.ThrowIfNull(layouts);
        var accumulator = new SparsityAccumulator();
        foreach (var layout in layouts) accumulator.Add(layout);
        return accumulator.Sparsity;
    }
}
