// Tests of the mask pictures: the character grid exactly on small maps, the PNG by decoding it and reading cell colours.
using SkiaSharp;

namespace Sieve.Patterns.Tests;

public sealed class MaskPictureTests
{
    [Fact]
    public void APictureWiderThanMaxSide_IsRefusedBeforeItIsAllocated()
    {
        var layout = CsrLayout.Build(new LocalPattern(1), new PatternContext(400));
        var options = new MaskPictureOptions { CellPixels = 50 };   // 20,000 pixels a side
        var error = Assert.Throws<ArgumentException>(() => MaskPicture.RenderPng([new MaskPanel("local(1)", layout)], options));
        Assert.Contains($"at most {MaskPicture.MaxSide}", error.Message, StringComparison.Ordinal);

        // Cells so large that the width wraps around int are refused the same way, not drawn at a negative size.
        options = new MaskPictureOptions { CellPixels = int.MaxValue / 100 };
        Assert.Throws<ArgumentException>(() => MaskPicture.RenderPng([new MaskPanel("local(1)", layout)], options));
    }

    [Fact]
    public void Text_OfLocal1WithPadding_IsExact()
    {
        var layout = CsrLayout.Build(new LocalPattern(1), new PatternContext(4) { PaddedLength = 5 });
        string expected =
            "  0\n" +
            "0 ##...\n" +
            "  ###..\n" +
            "  .###.\n" +
            "  ..##.\n" +
            "  .....\n";
        Assert.Equal(expected, MaskText.Render(layout, '#', '.'));
    }

    [Fact]
    public void Text_RulersMarkEveryRulerthRowAndColumn()
    {
        var layout = CsrLayout.Build(new GlobalPattern(1), new PatternContext(12));
        string text = MaskText.Render(layout, '#', '.', ruler: 5);
        string[] lines = text.Split('\n');
        Assert.Equal("   0    5    10", lines[0]);
        Assert.Equal(" 0 ############", lines[1]);
        Assert.Equal("   #...........", lines[2]);
        Assert.Equal(" 5 #...........", lines[6]);
        Assert.Equal("10 #...........", lines[11]);
        Assert.Equal(14, lines.Length); // 12 rows, the ruler and the empty string after the last '\n'
    }

    [Fact]
    public void Png_DecodesWithAllowedBlockedAndPaddingColoursWhereTheLayoutsSay()
    {
        var options = new MaskPictureOptions { CellPixels = 6, BlockSize = 4 };
        MaskPanel[] panels =
        [
            new("local(1)", CsrLayout.Build(new LocalPattern(1), new PatternContext(8))),
            new("global(1)", CsrLayout.Build(new GlobalPattern(1), new PatternContext(8) { PaddedLength = 10 })),
        ];
        byte[] png = MaskPicture.RenderPng(panels, options);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width > 2 * 10 * 6 && bitmap.Height > 10 * 6);

        for (int p = 0; p < panels.Length; p++)
        {
            var dense = panels[p].Layout.ToDense();
            int n = panels[p].Layout.Length;
            for (int row = 0; row < panels[p].Layout.PaddedLength; row++)
            {
                for (int key = 0; key < panels[p].Layout.PaddedLength; key++)
                {
                    var (x, y) = MaskPicture.CellCentre(panels, p, row, key, options);
                    var expected = dense[row, key] ? options.Allowed : row < n && key < n ? options.Blocked : options.Padding;
                    Assert.True(expected == bitmap.GetPixel(x, y), $"panel {p} row {row} key {key} at ({x}, {y}): {bitmap.GetPixel(x, y)}");
                }
            }
        }
        // A block grid line runs along the left edge of cell column 4 of the first panel.
        var (x4, y0) = MaskPicture.CellCentre(panels, 0, 0, 4, options);
        Assert.Equal(options.Ink, bitmap.GetPixel(x4 - 3, y0));
    }

    [Fact]
    public void Png_WithoutPanels_SaysWhatIsMissing() =>
        Assert.Contains("at least one mask", Assert.Throws<ArgumentException>(() => MaskPicture.RenderPng([])).Message, StringComparison.Ordinal);
}
