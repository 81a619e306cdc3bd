// AAA Table 6 over a whole split: the per-batch shares of tokens selected as rows and as columns, averaged per layer
// with each batch weighted by its real tokens, so the result is the share over every token of the split.
namespace Sieve.Learnable;

/// <summary>
/// Accumulates <see cref="AxisSelection"/>s of many batches (e.g. <see cref="Modeling.AttentionOutcome.AxisSelections"/>
/// after each evaluation batch) into one per layer: Σ share_b · tokens_b / Σ tokens_b.
/// </summary>
public sealed class AxisSelectionAccumulator
{
    private readonly SortedDictionary<int, (double Rows, double Columns, long Tokens)> _layers = [];

    /// <summary>Adds the selections of one batch (one per layer).</summary>
    public void Add(IEnumerable<AxisSelection> selections)
    {
        ArgumentNullException.ThrowIfNull(selections);
        foreach (var selection in selections)
        {
            if (selection.Tokens < 0)
                throw new ArgumentOutOfRangeException(nameof(selections), selection.Tokens, $"layer {selection.Layer} reports a negative token count.");
            if (selection.RowShare is < 0 or > 1 || selection.ColumnShare is < 0 or > 1)
                throw new ArgumentOutOfRangeException(nameof(selections), selection, $"layer {selection.Layer}: shares lie in [0, 1].");
            var (rows, columns, tokens) = _layers.GetValueOrDefault(selection.Layer);
            // Selected counts, not shares, are summed: a batch of many tokens weighs more than a short one.
            _layers[selection.Layer] = (rows + (selection.RowShare * selection.Tokens), columns + (selection.ColumnShare * selection.Tokens), tokens + selection.Tokens);
        }
    }

    /// <summary>Whether no selection has been added yet.</summary>
    public bool IsEmpty => _layers.Count == 0;

    /// <summary>Per layer, in layer order: the share of every token added that was selected as a row and as a column.</summary>
    public IReadOnlyList<AxisSelection> Shares =>
        [.. _layers.Select(entry => entry.Value.Tokens == 0
            ? new AxisSelection(entry.Key, 0, 0, 0)
            : new AxisSelection(entry.Key, entry.Value.Rows / entry.Value.Tokens, entry.Value.Columns / entry.Value.Tokens, entry.Value.Tokens))];
}
