// Report row of AAA (Table 6): the share of real tokens a layer selects as rows and as columns.
namespace Sieve.Learnable;

/// <summary>
/// At <paramref name="Layer"/>, the share (0..1) of the batch's real tokens selected as rows and as columns in evaluation
/// mode, over <paramref name="Tokens"/> real tokens.
/// </summary>
public sealed record AxisSelection(int Layer, double RowShare, double ColumnShare, long Tokens);
