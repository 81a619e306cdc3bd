// A character picture of one attention map (FlexAttention's printable block mask, DESIGN.md §4): one character per
// (query, key) cell, with row and column rulers, for terminals and tests.
namespace Sieve.Patterns;

/// <summary>Renders a <see cref="CsrLayout"/> as a character grid: rows are queries, columns keys.</summary>
public static class MaskText
{
    /// <summary>The widest map drawn; larger maps would not fit a terminal and should be drawn as a PNG.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// Draws the map over its padded length. The first line is the column ruler (the key index every
    /// <paramref name="ruler"/> columns); each row starts with its query index when it is a multiple of
    /// <paramref name="ruler"/>. Lines end with '\n' and carry no trailing spaces.
    /// </summary>
    public static string Render(CsrLayout layout, char allowed = '█', char blocked = '·', int ruler = 10)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(ruler, 1);
        int n = layout.PaddedLength;
        if (n > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(layout), n, $"a {n}×{n} map is too large for a character grid (at most {MaxLength}); render it as a PNG instead.");
        int labelWidth = Math.Max(1, (n - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var text = new System.Text.StringBuilder();

        // Column ruler: each label starts above its column; with a ruler of 10 labels never overlap.
        var header = new char[n + labelWidth + 8];
        Array.Fill(header, ' ');
        for (int column = 0; column < n; column += ruler)
        {
            string label = column.ToString(System.Globalization.CultureInfo.InvariantCulture);
            label.CopyTo(0, header, labelWidth + 1 + column, label.Length);
        }
        text.Append(new string(header).TrimEnd()).Append('\n');

        var line = new char[n];
        for (int row = 0; row < n; row++)
        {
            string label = row % ruler == 0 ? row.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            text.Append(label.PadLeft(labelWidth)).Append(' ');
            Array.Fill(line, blocked);
            foreach (int key in layout.Row(row)) line[key] = allowed;
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }
}
