// AAA's Table 6 in a grid report: the shares of tokens an aaa(...) row selected as rows and columns of attention, per
// layer, pooled over a report row's seeds from what each cell recorded on dev (CellResult.Learned).
using Sieve.Learnable;

namespace Sieve.Experiments;

/// <summary>
/// One report row's AAA shares on one task: <paramref name="Layers"/>[l] is layer l's (row share, column share) of the
/// dev tokens, 0..1, pooled over <paramref name="Runs"/> seeds, or null when no run recorded that layer.
/// </summary>
public sealed record AxisShareRow(string Pattern, string LayerSet, bool Pretrain, string Task, int Runs, IReadOnlyList<(double Rows, double Columns)?> Layers)
{
    /// <summary>
    /// The shares of the runs that recorded some (each layer weighted by its tokens, so a seed's share counts as many
    /// tokens as it was read on), or null when none did: fixed patterns and the other learnable families record none.
    /// </summary>
    public static AxisShareRow? Pool(string pattern, string layerSet, bool pretrain, string task, IReadOnlyList<LearnedPatternReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var withShares = runs.Where(r => r.Layers.Any(l => l.RowShare is not null)).ToList();
        if (withShares.Count == 0) return null;
        int layers = withShares.Max(r => r.Layers.Count == 0 ? 0 : r.Layers.Max(l => l.Layer) + 1);
        var pooled = new (double Rows, double Columns)?[layers];
        for (int l = 0; l < layers; l++)
        {
            var recorded = withShares.SelectMany(r => r.Layers).Where(x => x.Layer == l && x is { RowShare: not null, ColumnShare: not null, Tokens: > 0 }).ToList();
            double tokens = recorded.Sum(x => (double)x.Tokens!.Value);
            pooled[l] = tokens == 0 ? null
                : (recorded.Sum(x => x.RowShare!.Value * x.Tokens!.Value) / tokens, recorded.Sum(x => x.ColumnShare!.Value * x.Tokens!.Value) / tokens);
        }
        return new AxisShareRow(pattern, layerSet, pretrain, task, withShares.Count, pooled);
    }
}
