// The options of `sieve encode --input FILE --output FILE`, and the rules for combining them with the one-text options.
using System.CommandLine;
using Sieve.Kernels;

namespace Sieve.Cli;

/// <summary>Declares, checks and reads the batch options of <c>encode</c>.</summary>
internal sealed class EncodeBatchOptions
{
    public Option<FileInfo?> Input { get; } = new("--input")
    {
        Description = "Encode every text of this file instead of --text: .jsonl with {\"text\": ..., \"text_pair\": ...} per line (other fields are ignored), or .tsv with a header naming a 'text' column (and optionally 'text_pair').",
    };

    public Option<FileInfo?> Output { get; } = new("--output", "-o")
    {
        Description = "With --input: the JSON Lines file to write, one line per input line (its line number, tokens, sentence embedding, pooled output, logits); written whole or not at all.",
    };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "With --input: texts per forward pass (padded to the longest of the batch).", DefaultValueFactory = _ => 8 };

    /// <summary>Whether the command encodes a file; refuses the combinations that have no meaning.</summary>
    public bool Requested(ParseResult parse, Option<string?> text, Option<string?> pair, Option<FileInfo?> dependencyParse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Input) is null)
        {
            if (parse.GetValue(Output) is not null) throw new ArgumentException("--output writes the encodings of an --input file; give --input FILE, or drop --output to encode --text.");
            return false;
        }
        if (parse.GetValue(text) is not null) throw new ArgumentException("give --text or --input, not both.");
        if (parse.GetValue(pair) is not null) throw new ArgumentException("--text-pair goes with --text; in an --input file, give each line's second text as text_pair.");
        if (parse.GetValue(dependencyParse) is not null) throw new ArgumentException("--parse holds the parse of one --text; it cannot be given with --input.");
        if (parse.GetValue(Output) is null) throw new ArgumentException("--input needs --output FILE.jsonl, the file the encodings go to.");
        if (parse.GetValue(BatchSize) < 1) throw new ArgumentException($"--batch-size must be at least 1, got {parse.GetValue(BatchSize)}.");
        return true;
    }

    /// <summary>The request of a batch run, once <see cref="Requested"/> said there is one.</summary>
    public EncodeBatch.Request Read(ParseResult parse, string modelDirectory, string? pattern, AttentionKernelKind kernel, int? maxLength, ulong seed, EmbeddingPooling embedding) =>
        new(modelDirectory, parse.GetValue(Input)!.FullName, parse.GetValue(Output)!.FullName, parse.GetValue(BatchSize), pattern, kernel, maxLength, seed, embedding);
}
