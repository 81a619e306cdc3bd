// One document of the long-document task: filler prose with one labelled sentence (the needle) inside it.
namespace Sieve.Data;

/// <summary>A generated document and where its label comes from.</summary>
/// <param name="Text">The document: filler sentences and the needle, joined by spaces.</param>
/// <param name="Label">The needle's label (SST-2: 0 negative, 1 positive).</param>
/// <param name="NeedleToken">The position of the needle's first wordpiece in the encoded document ([CLS] is 0).</param>
/// <param name="NeedleTokens">The needle's wordpieces.</param>
/// <param name="Tokens">The document's wordpieces with [CLS] and [SEP].</param>
public sealed record LongDocument(string Text, int Label, int NeedleToken, int NeedleTokens, int Tokens);
