// `sieve encode --input texts.jsonl --output out.jsonl`: every text of a file through one loaded model, in padded
// batches, one JSON line per input line with what `sieve encode --text` prints for it (sentence embedding, pooled
// output, logits). Written to a temporary file and renamed at the end, so a failed run leaves no half-written output.
using System.Text.Json;
using Sieve.Data;
using Sieve.FineTuning;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Cli;

/// <summary>Encodes a file of texts in batches.</summary>
internal static class EncodeBatch
{
    // One line per input: compact, with the names of `sieve encode --format json`.
    private static readonly JsonSerializerOptions _lineJson = new(CommandRunner.Json) { WriteIndented = false };

    /// <summary>Encodes every input of <see cref="Request.Input"/> into <see cref="Request.Output"/>; progress on <paramref name="error"/>.</summary>
    public static int Run(Request request, TextWriter output, TextWriter error)
    {
        var inputs = TextInputReader.Read(request.Input);   // all lines checked before the model loads
        using var session = EncoderSession.Open(request.ModelDirectory, request.MaxLength, request.Pattern, request.Kernel, request.Seed);
        var options = new EncodeOptions { MaxLength = session.MaxLength };
        var tokenized = inputs.Select(input => Tokenize(session, input, options, request.Input)).ToArray();
        session.WriteLoadNotice(error);   // after every line is checked, so that a refusal is the one line printed

        var full = Path.GetFullPath(request.Output);
        AtomicFile.Write(full, writer =>
        {
            for (int start = 0; start < inputs.Count; start += request.BatchSize)
            {
                int count = Math.Min(request.BatchSize, inputs.Count - start);
                foreach (var line in EncodeOne(session, inputs.Skip(start).Take(count).ToArray(), tokenized[start..(start + count)], request.Embedding))
                    writer.WriteLine(JsonSerializer.Serialize(line, _lineJson));
                error.WriteLine($"  encoded {start + count}/{inputs.Count} texts");
            }
        });
        output.WriteLine($"{inputs.Count} texts encoded with {session.PatternName} into {full}");
        return 0;
    }

    // A text the tokenizer refuses (a pair under a --max-length below 3) or the model cannot take (a pair for a model of
    // one segment) is a bad line of the input file.
    private static TokenizedInput Tokenize(EncoderSession session, TextInput input, EncodeOptions options, string path)
    {
        try
        {
            var encoded = session.Tokenizer.Encode(input.Text, input.Pair, options);
            ModelInputLimits.CheckInput(session.Config, encoded.InputIds, encoded.TokenTypeIds);
            return encoded;
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(path, input.Line, e.Message);
        }
    }

    // One forward pass over a right-padded batch; each example's pattern is built on its real length (example 0, as
    // `sieve encode --text` does, so that a line encodes as that text alone does).
    private static IEnumerable<EncodedText> EncodeOne(EncoderSession session, TextInput[] inputs, TokenizedInput[] encoded, EmbeddingPooling pooling)
    {
        int batch = encoded.Length;
        var bert = session.Bert;
        // Right-padded as fine-tuning batches are (the target is unused: nothing is trained here).
        using var padded = TaskBatch.Collate(
            [.. encoded.Select(e => new EncodedExample([.. e.InputIds], [.. e.TokenTypeIds], PatternInputs.WithStaticEmbeddings(PatternInputs.For(e, example: 0), e, bert), Target: 0))],
            session.Tokenizer.PadTokenId, regression: false);
        var (idsTensor, typesTensor, maskTensor, contexts) = (padded.InputIds, padded.TokenTypeIds, padded.AttentionMask, padded.Contexts);   // [B, N] each

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var output = bert.forward(idsTensor, typesTensor, maskTensor, patternInputs: contexts);
        var sentence = pooling switch
        {
            EmbeddingPooling.Mean => SentenceEmbedding.MeanPooled(output.LastHiddenState, maskTensor),  // [B, H]
            EmbeddingPooling.Cls => SentenceEmbedding.Cls(output.LastHiddenState),                      // [B, H]
            _ => null,
        };
        var logits = session.Classifier?.forward(idsTensor, typesTensor, maskTensor, patternInputs: contexts);   // [B, L]
        string? embedding = sentence is null ? null : pooling.ToString().ToLowerInvariant();
        var lines = new EncodedText[batch];
        for (int b = 0; b < batch; b++)
        {
            var scores = EncodeCommand.Values(logits?[b]);
            lines[b] = new EncodedText(inputs[b].Line, encoded[b].Length, encoded[b].TruncatedTokens, embedding, EncodeCommand.Values(sentence?[b]),
                EncodeCommand.Values(output.PoolerOutput?[b]), scores, scores is null ? null : session.Label(Array.IndexOf(scores, scores.Max())));
        }
        return lines;
    }

    /// <summary>What a batch run needs: the model, the files, the batch size and the options of one-text encoding.</summary>
    internal sealed record Request(string ModelDirectory, string Input, string Output, int BatchSize, string? Pattern, AttentionKernelKind Kernel,
        int? MaxLength, ulong Seed, EmbeddingPooling Embedding);

    /// <summary>
    /// One output line: the input's line number, its token count ([CLS] and [SEP] included) and truncated tokens, then
    /// what <c>sieve encode --format json</c> gives for the text (null where that is null: no pooler, no head, --embedding none).
    /// </summary>
    internal sealed record EncodedText(int Line, int Tokens, int TruncatedTokens, string? Embedding, double[]? SentenceEmbedding, double[]? PoolerOutput,
        double[]? Logits, string? Predicted);
}
