// Pictures of attention masks side by side with their specs under them, like AAA Figure 1 (paper 003), drawn with
// SkiaSharp and written as PNG. Rows are queries (top to bottom), columns keys (left to right).
using SkiaSharp;

namespace Sieve.Patterns;

/// <summary>Draws one or more <see cref="MaskPanel"/>s into a PNG.</summary>
public static class MaskPicture
{
    /// <summary>The widest or tallest picture drawn, in pixels: 16,384, what image viewers and SkiaSharp's raster handle.</summary>
    public const int MaxSide = 16_384;

    private const int Margin = 16;
    private const int Gap = 24;

    /// <summary>Where the cell (row, key) of panel <paramref name="panel"/> lies: the pixel at its centre.</summary>
    public static (int X, int Y) CellCentre(IReadOnlyList<MaskPanel> panels, int panel, int row, int key, MaskPictureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        options ??= new MaskPictureOptions();
        var plan = WithFont(options, font => Plan(panels, options, title => font.MeasureText(title)));
        return (plan.Left[panel] + key * plan.Cell + plan.Cell / 2, Margin + row * plan.Cell + plan.Cell / 2);
    }

    /// <summary>Draws the panels left to right, each with its title centred under it, and encodes the result as PNG.</summary>
    public static byte[] RenderPng(IReadOnlyList<MaskPanel> panels, MaskPictureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("there is nothing to draw: give at least one mask.", nameof(panels));
        options ??= new MaskPictureOptions();
        return WithFont(options, font => Draw(panels, options, font));
    }

    private static T WithFont<T>(MaskPictureOptions options, Func<SKFont, T> use)
    {
        var typeface = LoadTypeface(options.FontPath);
        try
        {
            using var font = new SKFont(typeface, options.FontSize);
            return use(font);
        }
        finally
        {
            // The platform default is shared; only a typeface loaded here is ours to dispose.
            if (!ReferenceEquals(typeface, SKTypeface.Default)) typeface.Dispose();
        }
    }

    private static byte[] Draw(IReadOnlyList<MaskPanel> panels, MaskPictureOptions options, SKFont font)
    {
        var plan = Plan(panels, options, title => font.MeasureText(title));

        using var bitmap = new SKBitmap(plan.Width, plan.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var fill = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Fill };
        using var ink = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Stroke, StrokeWidth = 1, Color = options.Ink };
        using var text = new SKPaint { IsAntialias = true, Color = options.Ink };
        int cell = plan.Cell;
        for (int p = 0; p < panels.Count; p++)
        {
            var layout = panels[p].Layout;
            int left = plan.Left[p], top = Margin, size = layout.PaddedLength * cell;

            // Background first (blocked inside the real length, padding outside), then the allowed cells row by row.
            fill.Color = options.Padding;
            canvas.DrawRect(left, top, size, size, fill);
            fill.Color = options.Blocked;
            canvas.DrawRect(left, top, layout.Length * cell, layout.Length * cell, fill);
            fill.Color = options.Allowed;
            for (int row = 0; row < layout.Length; row++)
                foreach (int key in layout.Row(row)) canvas.DrawRect(left + key * cell, top + row * cell, cell, cell, fill);

            if (options.BlockSize is int block)
            {
                for (int edge = block; edge < layout.PaddedLength; edge += block)
                {
                    float at = edge * cell + 0.5f;
                    canvas.DrawLine(left + at, top, left + at, top + size, ink);
                    canvas.DrawLine(left, top + at, left + size, top + at, ink);
                }
            }
            canvas.DrawRect(left - 0.5f, top - 0.5f, size + 1, size + 1, ink);
            float centre = left + size / 2f;
            canvas.DrawText(panels[p].Title, centre, top + plan.MaxSize + 8 + options.FontSize, SKTextAlign.Center, font, text);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Renders and writes the PNG to <paramref name="path"/>.</summary>
    public static void SavePng(string path, IReadOnlyList<MaskPanel> panels, MaskPictureOptions? options = null) =>
        File.WriteAllBytes(path, RenderPng(panels, options));

    private sealed record Layout(int Cell, int[] Left, int MaxSize, int Width, int Height);

    // Panels sit on one baseline; each takes the width of its mask or its title, whichever is wider. Sizes are summed
    // in long and checked against MaxSide before anything is allocated: a long mask must not wrap around int.
    private static Layout Plan(IReadOnlyList<MaskPanel> panels, MaskPictureOptions options, Func<string, float> measure)
    {
        int widest = panels.Max(panel => panel.Layout.PaddedLength);
        int cell = options.CellPixels > 0 ? options.CellPixels : Math.Max(1, 320 / Math.Max(1, widest));
        var left = new long[panels.Count];
        long x = Margin;
        for (int p = 0; p < panels.Count; p++)
        {
            long size = (long)panels[p].Layout.PaddedLength * cell;
            long title = (long)Math.Ceiling(measure(panels[p].Title));
            long slot = Math.Max(size, title);
            left[p] = x + ((slot - size) / 2);
            x += slot + Gap;
        }
        long maxSize = (long)widest * cell;
        long height = Margin + maxSize + 8 + (long)Math.Ceiling(options.FontSize * 1.5) + Margin;
        long width = x - Gap + Margin;
        if (width > MaxSide || height > MaxSide)
            throw new ArgumentException($"a picture of {width}×{height} pixels is too large (at most {MaxSide} a side); draw fewer masks, a shorter length or smaller cells.", nameof(panels));
        return new Layout(cell, [.. left.Select(l => (int)l)], (int)maxSize, (int)width, (int)height);
    }

    private static SKTypeface LoadTypeface(string? path)
    {
        if (path is not null)
        {
            return SKTypeface.FromFile(path)
                ?? throw new FileNotFoundException($"the title font '{path}' could not be loaded; give a TrueType (.ttf) file.", path);
        }
        // The NoDependencies native build has no fontconfig, so the default typeface may have no glyphs.
        var fallback = SKTypeface.Default;
        if (fallback.GlyphCount > 0) return fallback;
        foreach (var candidate in (string[])["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf"])
            if (File.Exists(candidate) && SKTypeface.FromFile(candidate) is { } typeface) return typeface;
        return fallback;
    }
}
