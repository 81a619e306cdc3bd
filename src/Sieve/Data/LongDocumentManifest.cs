// What longdoc.json records beside the generated files: how they were made (to make them again) and what they hold.
namespace Sieve.Data;

/// <summary>The sources, settings and per-split statistics of a generated long-document task.</summary>
public sealed record LongDocumentManifest(string Task, string NeedleSource, string FillerSource, string Tokenizer, LongDocumentOptions Options,
    IReadOnlyList<LongDocumentSplitSummary> Splits, string Licence);

/// <summary>One split: documents, labels, and the spread of needle offsets and document lengths (min, median, max).</summary>
public sealed record LongDocumentSplitSummary(string Split, int Documents, IReadOnlyDictionary<string, int> Labels,
    int NeedleTokenMin, int NeedleTokenMedian, int NeedleTokenMax, int TokensMin, int TokensMedian, int TokensMax);
