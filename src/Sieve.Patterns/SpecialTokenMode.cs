// How word-level patterns (syntax, lexical) treat special tokens such as [CLS] and [SEP], which belong to no word
// (METHODS.md §2.2: `special_tokens ∈ {self, global}`, a reconstruction [I] kept as a switch).
namespace Sieve.Patterns;

/// <summary>
/// What a word-level pattern gives the special tokens: the positions whose <see cref="PatternContext.WordIds"/> entry is −1.
/// Without word ids every token is a word, there are no special tokens and the mode changes nothing.
/// </summary>
public enum SpecialTokenMode
{
    /// <summary>
    /// A special token keeps only its self-loop and no other row sees it (spec <c>special=self</c>, the default). On every
    /// layer that runs such a pattern [CLS] therefore sees only itself: a classifier on the [CLS] vector learns nothing
    /// about the input from those layers, unless the pattern's <c>cls=all</c> opens the row of [CLS].
    /// </summary>
    Self,

    /// <summary>Every special token is global: its row attends to all tokens and every row attends to it (spec <c>special=global</c>).</summary>
    Global,
}
