// The token-level inputs an input-dependent pattern reads from its PatternContext, so that the model or a driver can
// supply them (the model's embeddings, a parse file) before binding, and refuse clearly when it cannot.
namespace Sieve.Patterns;

/// <summary>The optional <see cref="PatternContext"/> fields a pattern needs beyond the lengths (see <see cref="Pattern.Inputs"/>).</summary>
[Flags]
public enum ContextInputs
{
    /// <summary>Only the lengths, the position (example, layer, head) and the seed.</summary>
    None = 0,

    /// <summary><see cref="PatternContext.DependencyHeads"/>: a word-level dependency parse (<c>syntax(k)</c>).</summary>
    DependencyHeads = 1,

    /// <summary><see cref="PatternContext.TokenEmbeddings"/>: a static embedding per token (<c>lexical(m)</c>).</summary>
    TokenEmbeddings = 2,
}
