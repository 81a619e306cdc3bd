// LogSparse attention (Li et al. 2019, "Enhancing the Locality and Breaking the Memory Bottleneck of Transformer on Time
// Series Forecasting"), as SparseBERT's "LogSparse" row (METHODS.md §3.4): exponentially spaced keys.
namespace Sieve.Patterns;

/// <summary>
/// LogSparse: query i attends to itself and to i − 2^k for every k ≥ 0 with i − 2^k ≥ 0, so O(log N) keys per row. This
/// reads the paper's causal cell without its local-window variant. The bidirectional form also keeps i + 2^k (|i − j| a
/// power of two). Spec: <c>logsparse</c> (causal) or <c>logsparse(causal=false)</c>.
/// </summary>
public sealed class LogSparsePattern(bool causal = true) : Pattern
{
    /// <summary>True for the causal form (keys j ≤ i only).</summary>
    public bool Causal { get; } = causal;

    public override PatternRows Bind(PatternContext context) => new Rows(context.Length, Causal);

    public override string ToString() => Causal ? "logsparse" : "logsparse(causal=false)";

    private sealed class Rows(int length, bool causal) : PatternRows(length)
    {
        public override void AppendRow(int row, KeyBuffer keys)
        {
            // Offsets 2^k up to the largest that fits left of the query, emitted from the farthest key inwards.
            int top = 30;
            while (top >= 0 && (1 << top) > row) top--;
            for (int k = top; k >= 0; k--) keys.Add(row - (1 << k));
            keys.Add(row);
            if (causal) return;
            for (long offset = 1; row + offset < Length; offset <<= 1) keys.Add((int)(row + offset));
        }
    }
}
