// `sieve encode`: run a checkpoint on a text (or a pair) under its pattern, or another one, and show what came out (the
// sentence embedding, the pooled output, logits) and how sparse each layer's attention was on this input.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sieve.Data;
using Sieve.Kernels;
using Sieve.Modeling;
using Sieve.Models;
using Sieve.Patterns;
using Sieve.Tokenization;
using static TorchSharp.torch;

namespace Sieve.Cli;

/// <summary>Builds the <c>encode</c> command.</summary>
internal static class EncodeCommand
{
    public static Command Build()
    {
        var model = ModelOption.Create("The model to run", required: true);
        var text = new Option<string?>("--text") { Description = "The text to encode (or --input for a file of texts)." };
        var pair = new Option<string?>("--text-pair") { Description = "A second text, encoded as a pair ([SEP] between, segment 1)." };
        var pattern = new Option<string?>("--pattern") { Description = "A spec to run instead of the one saved with the model: a pattern or schedule, or the model's own variants; not a learnable pattern (default: the saved one, else dense)." };
        var kernel = new Option<AttentionKernelKind>("--kernel") { Description = "The kernel that computes the pattern.", DefaultValueFactory = _ => AttentionKernelKind.Auto };
        var parse = new Option<FileInfo?>("--parse") { Description = "A CoNLL-U file with the dependency parse of the text (and of the pair: a second sentence), for syntax(k)." };
        var maxLength = new Option<int?>("--max-length") { Description = "Truncate to this many tokens (default: the model's position count; past 512 see sieve extend)." };
        var seed = new Option<int>("--seed") { Description = "The seed of random patterns.", DefaultValueFactory = _ => 0 };
        var format = new Option<OutputFormat>("--format") { Description = "table (a readable summary, default) or json.", DefaultValueFactory = _ => OutputFormat.Table };
        var embedding = new Option<EmbeddingPooling?>("--embedding")
        {
            Description = "The sentence embedding, L2-normalised: mean (over the real tokens, all-MiniLM-L6-v2's), cls (the [CLS] vector, snowflake-arctic-embed's) or none. " +
                "Default: a built-in model's documented pooling (minilm mean, arctic-xs cls), else mean.",
        };
        var batch = new EncodeBatchOptions();
        var command = new Command("encode", "Run a checkpoint on a text: sentence embedding, pooled output, logits when the model has a head, and the sparsity each layer's layout had. " +
            "With --input, every text of a .jsonl or .tsv file in batches, one JSON line per input line in --output.")
        {
            model, text, pair, pattern, kernel, parse, maxLength, seed, format, embedding, batch.Input, batch.Output, batch.BatchSize,
        };
        command.SetAction(result => CommandRunner.Run(result, "encode", () =>
        {
            if (batch.Requested(result, text, pair, parse))
            {
                return EncodeBatch.Run(batch.Read(result, ModelOption.Resolve(result, model)!, result.GetValue(pattern), result.GetValue(kernel),
                    result.GetValue(maxLength), (ulong)result.GetValue(seed), Pooling(result, embedding, model)), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
            }
            var request = new EncodeRequest(ModelOption.Resolve(result, model)!, result.GetValue(text) ?? throw new ArgumentException("give --text TEXT, or --input FILE with --output FILE to encode a file of texts."), result.GetValue(pair),
                result.GetValue(pattern), result.GetValue(kernel), result.GetValue(parse)?.FullName, result.GetValue(maxLength), (ulong)result.GetValue(seed), Pooling(result, embedding, model));
            var encoded = Encode(request, result.InvocationConfiguration.Error);
            var output = result.InvocationConfiguration.Output;
            if (result.GetValue(format) == OutputFormat.Json) output.WriteLine(JsonSerializer.Serialize(encoded, CommandRunner.Json));
            else WriteSummary(output, encoded);
            return 0;
        }));
        return command;
    }

    private static EmbeddingPooling Pooling(ParseResult result, Option<EmbeddingPooling?> embedding, Option<string> model) =>
        result.GetValue(embedding) ?? DefaultPooling(result.GetValue(model));

    /// <summary>
    /// The sentence embedding without <c>--embedding</c>: a built-in model's documented pooling (arctic-xs: the [CLS]
    /// vector), else the mean, which is what a folder of unknown origin most likely wants.
    /// </summary>
    internal static EmbeddingPooling DefaultPooling(string? modelArgument) =>
        modelArgument is not null && BuiltInModels.Find(modelArgument)?.Pooling == "cls" ? EmbeddingPooling.Cls : EmbeddingPooling.Mean;

    private static EncodeResult Encode(EncodeRequest request, TextWriter error)
    {
        using var session = EncoderSession.Open(request.ModelDirectory, request.MaxLength, request.Pattern, request.Kernel, request.Seed);
        var (config, bert, classifier, report, patternName) = (session.Config, session.Bert, session.Classifier, session.Report, session.PatternName);
        var input = session.Tokenizer.Encode(request.Text, request.Pair, new EncodeOptions { MaxLength = session.MaxLength });
        ModelInputLimits.CheckInput(config, input.InputIds, input.TokenTypeIds);

        var context = PatternInputs.WithStaticEmbeddings(PatternInputs.For(input, example: 0), input, bert);
        if (request.ParseFile is { } parseFile) context = context with { DependencyHeads = DependencyHeads(parseFile, request.Pair is not null) };
        session.WriteLoadNotice(error);   // after every check, so that a refusal is the one line printed

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(input.InputIds.Select(i => (long)i).ToArray()).unsqueeze(0);        // [1, N]
        var types = tensor(input.TokenTypeIds.Select(i => (long)i).ToArray()).unsqueeze(0);  // [1, N]
        var mask = ones_like(ids);                                                            // [1, N]: one text, no padding
        var output = bert.forward(ids, types, mask, patternInputs: [context]);
        var sentence = request.Embedding switch
        {
            EmbeddingPooling.Mean => SentenceEmbedding.MeanPooled(output.LastHiddenState, mask),  // [1, H]
            EmbeddingPooling.Cls => SentenceEmbedding.Cls(output.LastHiddenState),                // [1, H]
            _ => null,
        };
        var logits = classifier is null ? null : Values(classifier.forward(ids, types, attentionMask: null, patternInputs: [context])[0]);   // [L]
        var layouts = output.Layouts!;
        var layers = Enumerable.Range(0, layouts.Layers)
            .Select(l => new LayerSparsity(l, layouts.PatternAt(l), layouts.LayerSparsity(l), NnzPerHead(layouts[l])))
            .ToArray();
        string[]? labels = logits is null ? null
            : [.. Enumerable.Range(0, logits.Length).Select(session.Label)];
        return new EncodeResult([.. input.Tokens], [.. input.InputIds], [.. input.TokenTypeIds], input.TruncatedTokens,
            patternName, request.Kernel.ToString(), layouts.Sparsity, layers,
            Values(output.PoolerOutput?[0]), logits, labels,
            logits is null ? null : labels![Array.IndexOf(logits, logits.Max())],
            sentence is null ? null : request.Embedding.ToString().ToLowerInvariant(), Values(sentence?[0]), report.NewlyInitialized);
    }

    // The first sentence of the file for the text and, for a pair, the second one, joined with no arc between them.
    private static int[] DependencyHeads(string path, bool pair)
    {
        // Sieve.Patterns reads the file as given; a pipe or a device would be read forever, so it is refused here.
        if (RegularFile.Problem(path, "the CoNLL-U file") is { } problem) throw new InvalidDataException(problem);
        var sentences = ConlluParse.ReadFile(path);
        int needed = pair ? 2 : 1;
        if (sentences.Count < needed)
            throw new InvalidOperationException($"{path} holds {sentences.Count} sentence(s) but --text{(pair ? " and --text-pair need 2" : " needs 1")}.");
        return pair ? [.. DependencySentence.PairHeads(sentences[0], sentences[1])] : [.. sentences[0].Heads];
    }

    // The allowed entries of one head, averaged over heads when they have different layouts (one example).
    private static double NnzPerHead(AttentionLayout layout) => layout.Nnz / (double)layout.Heads;

    internal static double[]? Values(Tensor? vector) =>
        vector is null ? null : vector.to_type(ScalarType.Float64).data<double>().ToArray();

    private static void WriteSummary(TextWriter output, EncodeResult result)
    {
        output.WriteLine($"tokens ({result.Tokens.Length}{(result.TruncatedTokens > 0 ? $", {result.TruncatedTokens} truncated" : "")}): {string.Join(' ', result.Tokens)}");
        output.WriteLine($"pattern: {result.Pattern}   kernel: {result.Kernel}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sparsity (AAA Eq. 9, mean over layers and heads): {result.Sparsity:0.####}"));
        foreach (var layer in result.Layers)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  layer {layer.Layer,2}: sparsity {layer.Sparsity:0.####}  nnz/head {layer.NnzPerHead,8:0.#}  {layer.Pattern}"));
        if (result.SentenceEmbedding is { } sentence)
            output.WriteLine($"sentence embedding ({(result.Embedding == "cls" ? "[CLS]" : "mean over the tokens")}, L2-normalised): {Preview(sentence)}");
        // Weights the checkpoint lacked are random: said next to the numbers they produced, not only on stderr.
        string untrained = result.NewlyInitialized.Count > 0 ? $"   (untrained: newly initialised {string.Join(", ", result.NewlyInitialized)})" : "";
        if (result.PoolerOutput is { } pooled)
            output.WriteLine($"pooler output: {Preview(pooled)}{(result.NewlyInitialized.Any(k => k.Contains("pooler.", StringComparison.Ordinal)) ? untrained : "")}");
        else
            output.WriteLine("pooler output: none, the checkpoint has no pooler.* weights (sentence-embedding models ship none; their vector is --embedding mean or cls).");
        if (result.Logits is { } logits)
        {
            output.WriteLine($"logits: {string.Join(", ", logits.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{result.Labels![i]} {v:0.####}")))}{untrained}");
            output.WriteLine($"predicted: {result.Predicted}");
        }
    }

    // The first six values and the dimension.
    private static string Preview(double[] values) =>
        $"[{string.Join(", ", values.Take(6).Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))}{(values.Length > 6 ? ", …" : "")}] ({values.Length} values)";

    private sealed record EncodeRequest(string ModelDirectory, string Text, string? Pair, string? Pattern, AttentionKernelKind Kernel,
        string? ParseFile, int? MaxLength, ulong Seed, EmbeddingPooling Embedding);

    /// <summary>One layer's layout on this input: its pattern, Eq. 9 sparsity and allowed entries per head.</summary>
    internal sealed record LayerSparsity(int Layer, string Pattern, double Sparsity, double NnzPerHead);

    /// <summary>
    /// What <c>sieve encode --format json</c> prints; JSON names are the camel-cased properties. <c>poolerOutput</c> is
    /// null when the checkpoint has no pooler; <c>embedding</c> ("mean" or "cls") and the whole <c>sentenceEmbedding</c>
    /// are null under <c>--embedding none</c>; <c>newlyInitialized</c> lists the weights the checkpoint lacked (random).
    /// </summary>
    internal sealed record EncodeResult(string[] Tokens, int[] InputIds, int[] TokenTypeIds, int TruncatedTokens, string Pattern,
        string Kernel, double Sparsity, LayerSparsity[] Layers, double[]? PoolerOutput, double[]? Logits, string[]? Labels, string? Predicted,
        string? Embedding, double[]? SentenceEmbedding, IReadOnlyList<string> NewlyInitialized);
}
