// The attention spec of a model (issue 7): patterns, variants and layer schedules mixing them parse, print canonically
// and read back; per-layer resolution; errors that name the problem.
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Variants;

namespace Sieve.Tests.Specs;

public sealed class AttentionSpecTests
{
    [Theory]
    [InlineData("local(2)+global(1)")]
    [InlineData("layers(0-5: full; *: local(1))")]
    [InlineData("heads(0: local(2); *: global(1))")]
    public void APatternSpec_IsThePatternGrammars(string spec)
    {
        var parsed = AttentionSpec.Parse(spec);
        Assert.False(parsed.HasVariants);
        Assert.Equal(PatternSpec.Parse(spec), parsed.Pattern);
        Assert.Equal(PatternSpec.Parse(spec).ToString(), parsed.ToString());
        Assert.Null(parsed.VariantFor(3));
    }

    [Fact]
    public void AVariantAlone_IsEveryLayers_AndNoLayerRunsAPattern()
    {
        var parsed = AttentionSpec.Parse(" linformer(k=32) ");
        Assert.True(parsed.HasVariants);
        Assert.Null(parsed.Pattern);
        Assert.Equal(new LinformerOptions { K = 32 }, parsed.VariantFor(0));
        Assert.Equal(new LinformerOptions { K = 32 }, parsed.VariantFor(11));
        Assert.Equal("linformer(k=32,share=none)", parsed.ToString());
    }

    [Fact]
    public void ALayerSchedule_MixesVariantsAndPatterns_PerLayer()
    {
        var parsed = AttentionSpec.Parse("layers(0-1: entmax(alpha=learned); 3: sparsemax; *: local(2)+global(1))");
        Assert.Equal(new EntmaxOptions { Alpha = null }, parsed.VariantFor(0));
        Assert.Equal(new EntmaxOptions { Alpha = null }, parsed.VariantFor(1));
        Assert.Null(parsed.VariantFor(2));
        Assert.Equal(new EntmaxOptions { Alpha = 2.0 }, parsed.VariantFor(3));
        Assert.Null(parsed.VariantFor(4));
        // The pattern layers run the `*` pattern; the variant layers get the (unused) diagonal.
        var pattern = Assert.IsType<SchedulePattern>(parsed.Pattern);
        Assert.Equal(PatternSpec.Parse("local(2)+global(1)"), pattern.PatternFor(2, 0));
        Assert.Equal(PatternSpec.Parse("local(0)"), pattern.PatternFor(0, 0));
        // Canonical and stable.
        string canonical = parsed.ToString();
        Assert.Equal($"layers(0-1:{new EntmaxOptions { Alpha = null }};3:{new EntmaxOptions { Alpha = 2.0 }};*:local(2)+global(1))", canonical);
        Assert.Equal(canonical, AttentionSpec.Parse(canonical).ToString());
    }

    [Fact]
    public void FromLayers_GroupsEqualNeighbours_AndParsesBackToTheSameLayers()
    {
        var linformer = new LinformerOptions { K = 8, Share = LinformerSharing.Layer };
        var spec = AttentionSpec.FromLayers([linformer, linformer, null, new EntmaxOptions()], PatternSpec.Parse("local(1)"));
        Assert.Equal($"layers(0-1:{linformer};3:{new EntmaxOptions()};*:local(1))", spec.ToString());
        var back = AttentionSpec.Parse(spec.ToString());
        for (int l = 0; l < 4; l++) Assert.Equal(spec.VariantFor(l), back.VariantFor(l));
        Assert.Equal("linformer(k=8,share=layer)", AttentionSpec.FromLayers([linformer, linformer], null).ToString());
    }

    [Fact]
    public void Validate_NamesALayerThatNoEntryCovers()
    {
        var spec = AttentionSpec.Parse("layers(0: lsh; 1: full)");
        spec.Validate(2);
        var error = Assert.Throws<ArgumentException>(() => spec.Validate(3));
        Assert.Contains("layer 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local(2)+linformer(k=4)", "cannot be combined")]
    [InlineData("heads(0: entmax; *: full)", "cannot be combined")]
    [InlineData("layers(0-2: entmax; 2: full)", "overlaps the earlier range 0-2")]
    [InlineData("layers(0: entmax(alpha=x); *: full)", "must be a number")]
    [InlineData("layers(0: entmax; *: locl(1))", "did you mean 'local'")]
    [InlineData("layers(3-1: entmax; *: full)", "reversed")]
    public void Errors_SayWhatIsWrong(string spec, string expected)
    {
        var error = Assert.ThrowsAny<FormatException>(() => AttentionSpec.Parse(spec));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
