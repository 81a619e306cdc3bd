// Longformer (Beltagy et al. 2020 §3.1; METHODS.md §6; SparseBERT's "Longformer" row, §3.4): a dilated sliding window of
// width w plus global attention on the first g positions ([CLS] first).
namespace Sieve.Patterns;

/// <summary>
/// Longformer: query i attends to j = i + d·t for |t| ≤ w/2 (the window of width w, w/2 keys per side) and the first g
/// positions are global. w must be even, as in Hugging Face's <c>attention_window</c>. Equal to
/// <c>dilated(w/2,d)+global(g)</c>. Spec: <c>longformer(w,d,g)</c>, w ≥ 0 even, d ≥ 1, g ≥ 0.
/// </summary>
public sealed class LongformerPattern : Pattern
{
    public LongformerPattern(int w, int d, int g)
    {
        if (w < 0 || w % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(w), w, $"longformer(w,d,g) needs an even w >= 0 (w/2 keys per side), got {w}");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, $"longformer(w,d,g) needs d >= 1, got {d}");
        if (g < 0) throw new ArgumentOutOfRangeException(nameof(g), g, $"longformer(w,d,g) needs g >= 0, got {g}");
        W = w;
        D = d;
        G = g;
    }

    /// <summary>The window width (keys per side: W/2).</summary>
    public int W { get; }

    /// <summary>The dilation of the window.</summary>
    public int D { get; }

    /// <summary>How many leading positions are global.</summary>
    public int G { get; }

    public override PatternRows Bind(PatternContext context) =>
        new MergedRows(new DilatedPattern(W / 2, D).Bind(context), new GlobalPattern(G).Bind(context), SortedMerge.Union);

    public override string ToString() => $"longformer({W},{D},{G})";
}
