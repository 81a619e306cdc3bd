// How MaskPicture draws masks: cell size, optional block grid, colours and the font of the titles.
using SkiaSharp;

namespace Sieve.Patterns;

/// <summary>Drawing options for <see cref="MaskPicture"/>; every default gives a figure like AAA Figure 1.</summary>
public sealed record MaskPictureOptions
{
    /// <summary>Pixels per cell; 0 (the default) picks the largest size that keeps the widest panel within 320 pixels, at least 1.</summary>
    public int CellPixels
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(CellPixels), value, "the cell size must be 0 (automatic) or a positive number of pixels.");
    }

    /// <summary>When set, grid lines are drawn every BlockSize cells, showing which tiles a block-sparse kernel visits.</summary>
    public int? BlockSize
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(BlockSize), value, "the block size must be at least 1.");
    }

    /// <summary>The colour of an allowed (query, key) cell.</summary>
    public SKColor Allowed { get; init; } = new(0x1F, 0x4E, 0x79);

    /// <summary>The colour of a blocked cell of the real length.</summary>
    public SKColor Blocked { get; init; } = new(0xE8, 0xE8, 0xE8);

    /// <summary>The colour of padding cells (rows or keys at or past the real length).</summary>
    public SKColor Padding { get; init; } = SKColors.White;

    /// <summary>The colour of block grid lines, frames and titles.</summary>
    public SKColor Ink { get; init; } = new(0x40, 0x40, 0x40);

    /// <summary>A TrueType font for the titles; null tries the platform default and then DejaVu Sans.</summary>
    public string? FontPath { get; init; }

    /// <summary>The title size in pixels.</summary>
    public float FontSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(FontSize), value, "the font size must be positive.");
    } = 14;
}
