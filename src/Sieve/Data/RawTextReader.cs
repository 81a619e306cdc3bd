// Raw text for masked-LM pre-training: one document or sentence per line (the layout of BERT's pre-training corpora
// after sentence splitting). Blank lines, which such corpora use between documents, are skipped; streaming, because
// corpora are large.
namespace Sieve.Data;

/// <summary>Reads a raw text corpus line by line.</summary>
public static class RawTextReader
{
    /// <summary>The non-blank lines of <paramref name="path"/> as unlabelled examples (Text = the line without its line end,
    /// Line = its 1-based number). A leading byte-order mark is dropped.</summary>
    public static IEnumerable<Example> Read(string path) =>
        TsvReader.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line.Text))
            .Select(line => new Example(line.Text, null, null, null, line.Number));
}
