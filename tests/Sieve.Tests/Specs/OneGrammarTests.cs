// Issue 17: AttentionSpec.Parse is the one entry point of the spec grammar. A learnable pattern parses as a spec of its
// own form, every problem is a SpecException with the column, a misspelt name of any form gets a "did you mean", and
// Require refuses a form with the command's name, the reason and what to do instead.
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Specs;

namespace Sieve.Tests.Specs;

public sealed class OneGrammarTests
{
    [Theory]
    [InlineData("local(2)+global(1)", SpecForms.Pattern)]
    [InlineData("layers(0-5: full; *: local(1))", SpecForms.Pattern)]
    [InlineData("linformer(k=32)", SpecForms.Variant)]
    [InlineData("layers(0: entmax; *: local(1))", SpecForms.Pattern | SpecForms.Variant)]
    [InlineData("layers(0: entmax; *: sparsemax)", SpecForms.Variant)]
    [InlineData("aaa(local=2)+global(1)", SpecForms.Learnable)]
    [InlineData(" learned_diagonal(max_offset=8, level=task) ", SpecForms.Learnable)]
    public void EveryForm_ParsesThroughTheOneEntryPoint_AndPrintsBackCanonically(string text, SpecForms forms)
    {
        var spec = AttentionSpec.Parse(text);
        Assert.Equal(forms, spec.Forms);
        Assert.Equal(spec.ToString(), AttentionSpec.Parse(spec.ToString()).ToString());
        Assert.Equal(spec, AttentionSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void ALearnableSpec_IsTheLearnableGrammars_AndCoversEveryLayer()
    {
        var spec = AttentionSpec.Parse("learned_degree(max_degree=4, per=head)+global(1)");
        Assert.Equal(LearnableSpec.Parse("learned_degree(max_degree=4, per=head)+global(1)"), spec.Learnable);
        Assert.Null(spec.Pattern);
        Assert.False(spec.HasVariants);
        Assert.Null(spec.VariantFor(5));
        spec.Validate(12);
        Assert.Equal(spec.Learnable!.ToString(), BertSieveSettings.For(spec, null)!.LearnablePattern);
        Assert.Null(BertSieveSettings.For(spec, null)!.AttentionPattern);
    }

    [Theory]
    [InlineData("local(2)+linformr(k=4)", 10, "did you mean 'linformer'?")]
    [InlineData("aa(local=2)", 1, "did you mean 'aaa'?")]
    [InlineData("local(2)+aaa(local=2)", 10, "the learnable pattern 'aaa' learns every layer and head and must come first")]
    [InlineData("layers(0: aaa(local=2); 1: linformer(k=4); *: full)", 10, "a learnable pattern learns every layer and cannot be one layer's entry")]
    [InlineData("aaa(local=2)+linformer(k=4)", 14, "in the fixed part after '+'")]
    public void Errors_AreSpecExceptions_WithTheColumn(string text, int column, string expected)
    {
        var error = Assert.Throws<SpecException>(() => AttentionSpec.Parse(text));
        Assert.Equal(column, error.Column);
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_RefusesAFormWithTheCommandTheReasonAndWhatToDo_PointingAtIt()
    {
        var variant = Assert.Throws<SpecException>(() => AttentionSpec.Parse("layers(0: full; *: sparse_transformer(kind=strided, l=4))").Require("bench attention", SpecForms.Pattern, "use --variants"));
        Assert.StartsWith("bench attention does not take the attention variant sparse_transformer(kind=strided", variant.Problem, StringComparison.Ordinal);
        Assert.EndsWith("): a variant is a layer with its own weights, not a pattern of allowed keys; use --variants", variant.Problem, StringComparison.Ordinal);
        Assert.Equal(20, variant.Column);

        var learnable = Assert.Throws<SpecException>(() => AttentionSpec.Parse("  aaa(local=2)").Require("pretrain", SpecForms.Pattern | SpecForms.Variant));
        Assert.StartsWith("pretrain does not take the learnable pattern aaa(local=2): it has no layout until fine-tuning has trained its gates", learnable.Problem, StringComparison.Ordinal);
        Assert.Equal(3, learnable.Column);

        var pattern = Assert.Throws<SpecException>(() => AttentionSpec.Parse("local(1)").Require("bench attention --variants", SpecForms.Variant, "give patterns with --pattern"));
        Assert.Equal("bench attention --variants does not take the fixed pattern local(1); give patterns with --pattern", pattern.Problem);

        var accepted = AttentionSpec.Parse("local(1)+global(1)");
        Assert.Same(accepted, accepted.Require("finetune", SpecForms.Pattern | SpecForms.Variant | SpecForms.Learnable));
        Assert.Equal(PatternSpec.Parse("local(1)+global(1)"), accepted.RequirePattern("patterns show"));
    }

    [Fact]
    public void TheConfigsThreeKeys_ReadAsTheOneSpec_NamingTheKeyOfABadOne()
    {
        Assert.Equal("local(1)", new BertSieveSettings { AttentionPattern = "local( 1 )" }.ReadSpec()!.ToString());
        Assert.Equal(AttentionSpec.Parse("layers(0: lsh; *: full)"), new BertSieveSettings { Attention = "layers(0: lsh; *: full)" }.ReadSpec());
        Assert.NotNull(new BertSieveSettings { LearnablePattern = "aaa(local=2)" }.ReadSpec()!.Learnable);
        Assert.Null(new BertSieveSettings { Sublayers = "sfsf" }.ReadSpec());

        var bad = Assert.Throws<ArgumentException>(() => new BertSieveSettings { AttentionPattern = "linformer(k=4)" }.ReadSpec());
        Assert.StartsWith("the config's sieve.attention_pattern 'linformer(k=4)' is not a valid pattern", bad.Message, StringComparison.Ordinal);
        var both = Assert.Throws<ArgumentException>(() => new BertSieveSettings { LearnablePattern = "aaa(local=2)", AttentionPattern = "local(1)" }.ReadSpec());
        Assert.Contains("keep one of them", both.Message, StringComparison.Ordinal);
    }
}
