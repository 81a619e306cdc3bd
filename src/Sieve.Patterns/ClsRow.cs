// What [CLS] reads in a word-level pattern (syntax, lexical): under special=self it sees only itself, so a classifier
// on its vector learns nothing from those layers; `cls=all` opens its row without making it a key every word reads.
namespace Sieve.Patterns;

/// <summary>The row of [CLS], the special token at position 0 (word id −1), in a word-level pattern.</summary>
public enum ClsRow
{
    /// <summary>As <see cref="SpecialTokenMode"/> says for every special token (spec default, <c>cls=special</c>).</summary>
    Special,

    /// <summary>
    /// [CLS] attends to every token; its column and the other special tokens stay as <see cref="SpecialTokenMode"/> says
    /// (spec <c>cls=all</c>). Under <c>special=self</c> this adds N − 1 entries and leaves the word graph untouched.
    /// </summary>
    All,
}
