// The order of attention (s) and feed-forward (f) sublayers in an encoder (Press, Smith, Levy 2020, "Improving
// Transformer Models by Reordering their Sublayers"; METHODS.md §13), including the sandwich s^k (sf)^{n−k} f^k.
using Sieve.Patterns;

namespace Sieve.Variants;

/// <summary>
/// A validated sublayer string such as <c>sssfsfsfff</c>: only <c>s</c> and <c>f</c>, as many of each (the paper's
/// setting: same parameters, memory and time as the interleaved baseline). The model option is <c>--sublayers</c>.
/// </summary>
public sealed record SublayerOrder
{
    private SublayerOrder(string sublayers) => Sublayers = sublayers;

    /// <summary>The string, one character per sublayer from the bottom: s = self-attention, f = feed-forward.</summary>
    public string Sublayers { get; }

    /// <summary>n: the number of attention sublayers (= the number of feed-forward ones).</summary>
    public int Count => Sublayers.Length / 2;

    /// <summary>The interleaved baseline (sf)ⁿ, i.e. the sandwich with k = 0: an ordinary n-layer encoder.</summary>
    public bool IsInterleaved => Sublayers == Sandwich(Count, 0).Sublayers;

    /// <summary>Parses and validates a sublayer string; errors name the column.</summary>
    public static SublayerOrder Parse(string sublayers)
    {
        ArgumentNullException.ThrowIfNull(sublayers);
        if (sublayers.Length == 0)
            throw new SpecException(sublayers, 1, "the sublayer string is empty; write attention as 's' and feed-forward as 'f', e.g. sfsfsf");
        for (int i = 0; i < sublayers.Length; i++)
            if (sublayers[i] is not ('s' or 'f'))
                throw new SpecException(sublayers, i + 1, $"unexpected '{sublayers[i]}' at column {i + 1} of the sublayer string; use 's' (attention) and 'f' (feed-forward) only");
        int s = sublayers.Count(c => c == 's');
        int f = sublayers.Length - s;
        if (s != f)
            throw new SpecException(sublayers, sublayers.Length + 1, $"the sublayer string has {s} 's' and {f} 'f'; the sandwich ordering needs as many of each (same parameters as the baseline)");
        return new SublayerOrder(sublayers);
    }

    /// <summary>
    /// Parses the model option <c>--sublayers</c> for an encoder of <paramref name="layers"/> layers: a sublayer string
    /// with <paramref name="layers"/> of each letter, or <c>sandwich(k=K)</c> (also <c>sandwich(K)</c>), the sandwich
    /// s^K (sf)^{layers−K} f^K. Errors name the column and what was expected.
    /// </summary>
    public static SublayerOrder ForLayers(string text, int layers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("sandwich", StringComparison.Ordinal)) return SandwichFor(text, trimmed, layers);
        var order = Parse(trimmed);
        if (order.Count != layers)
            throw new SpecException(text, 1, $"the sublayer string has {order.Count} 's' and {order.Count} 'f' but the model has {layers} layers; give {layers} of each (e.g. {Sandwich(layers, 0)}), or sandwich(k=K) with 0 ≤ K ≤ {layers}");
        return order;
    }

    // sandwich(k=K) or sandwich(K), spaces allowed, for n = layers.
    private static SublayerOrder SandwichFor(string text, string trimmed, int layers)
    {
        string expected = $"expected sandwich(k=K) with an integer 0 ≤ K ≤ {layers} (the model has {layers} layers), or a sublayer string such as {Sandwich(layers, 0)}";
        int column = text.IndexOf("sandwich", StringComparison.Ordinal) + "sandwich".Length + 1;
        var rest = trimmed["sandwich".Length..].Trim();
        if (!rest.StartsWith('(') || !rest.EndsWith(')')) throw new SpecException(text, column, expected);
        var argument = rest[1..^1].Trim();
        if (argument.StartsWith('k'))
        {
            argument = argument[1..].TrimStart();
            if (!argument.StartsWith('=')) throw new SpecException(text, column, expected);
            argument = argument[1..].Trim();
        }
        if (!int.TryParse(argument, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) || k > layers)
            throw new SpecException(text, column, $"'{argument}' is not a sandwich coefficient; {expected}");
        return Sandwich(layers, k);
    }

    /// <summary>The sandwich transformer with n of each sublayer and coefficient k (0 ≤ k ≤ n): s^k (sf)^{n−k} f^k.</summary>
    public static SublayerOrder Sandwich(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (k < 0 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"the sandwich coefficient k must be in 0..{n} for n = {n}, got {k}");
        return new SublayerOrder(new string('s', k) + string.Concat(Enumerable.Repeat("sf", n - k)) + new string('f', k));
    }

    public override string ToString() => Sublayers;
}
