// One masked-LM pre-training run from a text file to a saved model: read and encode the lines, hold out a share,
// build BertForMaskedLM (from a checkpoint or from a config), set its attention (any pattern or variant spec, per-layer
// and per-head schedules included), train with the HF-style trainer (resumable), evaluate MLM loss and accuracy with measured ρ,
// and save an HF model directory that `sieve finetune --model` continues from (HF run_mlm.py, line by line).
using System.Diagnostics;
using Sieve.Benchmarking;
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.Modeling;
using Sieve.Patterns;
using Sieve.Specs;
using Sieve.Tokenization;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.Pretraining;

/// <summary>Runs <see cref="PretrainOptions"/> end to end.</summary>
public static class PretrainJob
{
    /// <summary>The folder under the output folder where the final model is saved.</summary>
    public const string ModelFolder = RunFolder.ModelFolder;

    /// <summary>
    /// Pre-trains as <paramref name="options"/> say. <paramref name="progress"/> receives the trainer's reports,
    /// <paramref name="status"/> one-line notes (what was read and loaded). Cancelling saves a checkpoint and returns;
    /// <c>Resume</c> continues from it.
    /// </summary>
    public static PretrainResult Run(PretrainOptions options, IProgress<TrainingProgress>? progress = null, Action<string>? status = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.ModelDirectory is null) == (options.ConfigPath is null))
            throw new ArgumentException("give either a model directory to continue pre-training (--model) or a config.json to pre-train from scratch (--config), not both or neither.", nameof(options));
        options.Masking.Validate();
        var (tokenizer, vocabPath) = Tokenizer(options);
        var encoder = new TextLineEncoder(tokenizer, options.MaxLength);
        var (trainLines, validationLines) = ReadLines(options, encoder);
        status?.Invoke($"{Path.GetFileName(options.DataPath)}: {trainLines.Length} training lines, {validationLines.Length} held out; at most {options.MaxLength} tokens each");

        var config = ModelConfig(options, encoder);
        // Taken once the inputs are known to be usable, and held until the final model is saved.
        using var run = RunFolder.Open(options.Trainer.OutputDir, Settings(options, vocabPath), options.Resume, options.ResumeFrom);
        manual_seed(options.Trainer.Seed);
        using var model = new BertForMaskedLM(config);
        if (options.ModelDirectory is { } directory)
        {
            var report = BertCheckpoint.LoadWeights(model, directory, new CheckpointLoadOptions { TilePositions = options.MaxPositions is not null });
            status?.Invoke(report.Describe(directory));
            if (options.MaxPositions is not null) status?.Invoke(PositionExtension.Describe(directory, config));
        }
        // A pattern, an attention variant or a layer schedule of both (AttentionSpec), as in fine-tuning; the saved
        // config records it and the sublayer order, so that the model reloads as it was trained.
        var attention = model.Bert.ApplyAttentionOrKeep(options.Pattern is { } spec ? PretrainSpec(spec) : null, options.Kernel, (ulong)options.Trainer.Seed);
        status?.Invoke($"attention: {attention?.ToString() ?? "dense (HF)"} on the {options.Kernel} kernel");

        var savedConfig = config with { Sieve = model.Bert.SieveSettings };
        var batches = new MlmBatchSource(trainLines, options.BatchSize, encoder.PadId, encoder.MaskTokenId, encoder.VocabularySize, options.Masking);
        var held = validationLines.Length == 0 ? null
            : new MlmBatchSource(validationLines, options.EvalBatchSize, encoder.PadId, encoder.MaskTokenId, encoder.VocabularySize, options.Masking, shuffle: false);
        int validationSeed = MlmMasking.ValidationSeed(options.Trainer.Seed);
        Func<IReadOnlyDictionary<string, double>>? evaluate = held is null ? null
            : () => MlmEvaluator.Evaluate(model, held.Batches(0, validationSeed, 0)).ToDictionary();
        using var trainer = new Trainer<MlmBatch>(model, options.Trainer, batches, batch => Step(model, batch), evaluate)
        {
            Progress = progress,
            SaveExtras = folder => WriteModelFiles(folder, savedConfig, vocabPath, tokenizer.Options),
        };

        PeakMemory.TryReset();
        var clock = Stopwatch.StartNew();
        var training = run.ResumeCheckpoint is { } checkpoint ? trainer.Resume(checkpoint, cancellationToken) : trainer.Train(cancellationToken);
        clock.Stop();
        long? peak = PeakMemory.HighWaterMark();
        if (training.Outcome != TrainingOutcome.Completed)
            return new PretrainResult(training, null, clock.Elapsed, peak, null, trainLines.Length, validationLines.Length, attention?.ToString());

        var validation = held is null ? null : MlmEvaluator.Evaluate(model, held.Batches(0, validationSeed, 0));
        var modelDirectory = Path.Combine(options.Trainer.OutputDir, ModelFolder);
        BertCheckpoint.Save(model, savedConfig, modelDirectory, vocabPath, tokenizer: tokenizer.Options);
        return new PretrainResult(training, validation, clock.Elapsed, peak, modelDirectory, trainLines.Length, validationLines.Length, attention?.ToString());
    }

    /// <summary>
    /// One micro-batch: HF's MLM loss (mean cross-entropy over the chosen tokens), the real tokens, and ρ of the layouts
    /// this batch ran on. A batch in which no token was chosen (possible for tiny batches, as in HF) adds zero loss and
    /// zero gradient instead of HF's NaN, which would stop the run (BertForMaskedLM.MaskedLoss).
    /// </summary>
    public static TrainStepResult Step(BertForMaskedLM model, MlmBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        // The head runs on the chosen tokens only (MaskedLoss): the same loss as on all [B, N, V] logits.
        var (loss, attention) = model.MaskedLoss(batch.InputIds, batch.Labels, batch.TokenTypeIds, batch.AttentionMask, batch.Contexts);   // []
        return new TrainStepResult(loss) { Tokens = batch.Tokens, Sparsity = attention.Sparsity };
    }

    // What changes the result of the run, recorded in its folder and compared on resume (see RunFolder).
    private static IReadOnlyDictionary<string, string> Settings(PretrainOptions options, string vocabPath)
    {
        var settings = RunSettings.Of(options.Trainer)
            .AddFile("data", options.DataPath)
            .AddFile("validation", options.ValidationPath)
            .Add("validation_share", options.ValidationShare)
            .AddModelDirectory("model", options.ModelDirectory)
            .AddFile("config", options.ConfigPath)
            .AddFile("vocab", vocabPath)
            .Add("pattern", options.Pattern)
            .Add("sublayers", options.Sublayers)
            .Add("max_length", options.MaxLength)
            .Add("batch_size", options.BatchSize)
            .Add("max_train_lines", options.MaxTrainLines)
            .Add("masking", options.Masking);
        // Recorded only when given, so that runs started before the option existed still resume.
        if (options.MaxPositions is { } positions) settings.Add("max_positions", positions);
        return settings.ToDictionary();
    }

    // Pre-training takes patterns and variants; a learnable pattern needs the sparsity target and the gate schedules that
    // only fine-tuning drives, so it is refused here with where to learn it instead.
    private static AttentionSpec PretrainSpec(string text) =>
        AttentionSpec.Parse(text).Require("pretrain", SpecForms.Pattern | SpecForms.Variant,
            "pre-train with a fixed pattern (or dense), then learn the pattern with `sieve finetune --pattern` on the task");

    private static (SieveTokenizer Tokenizer, string VocabPath) Tokenizer(PretrainOptions options)
    {
        var vocab = options.VocabPath ?? (options.ModelDirectory is { } dir ? BertCheckpoint.VocabPath(dir) : null)
            ?? throw new ArgumentException("masked-LM pre-training needs a WordPiece vocabulary: pass --vocab vocab.txt, or a --model directory that has one.", nameof(options));
        var tokenizerOptions = options.ModelDirectory is { } model ? TokenizerOptions.FromCheckpoint(model) : TokenizerOptions.Default;
        return (SieveTokenizer.Create(vocab, tokenizerOptions), vocab);
    }

    // The corpus split into training and held-out lines; a separate validation file wins over the held-out share.
    private static (EncodedLine[] Train, EncodedLine[] Validation) ReadLines(PretrainOptions options, TextLineEncoder encoder)
    {
        var lines = RawTextReader.Read(options.DataPath).ToList();
        if (lines.Count == 0) throw new InvalidDataException($"{options.DataPath} has no non-blank line; pre-training needs one document or sentence per line.");
        List<Example> validation;
        if (options.ValidationPath is { } path)
        {
            validation = [.. RawTextReader.Read(path)];
            if (validation.Count == 0) throw new InvalidDataException($"the validation file {path} has no non-blank line.");
        }
        else
        {
            int held = options.ValidationShare == 0 ? 0 : (int)Math.Ceiling(options.ValidationShare * lines.Count);
            if (held >= lines.Count)
                throw new ArgumentException($"{options.DataPath} has {lines.Count} line(s): holding out {options.ValidationShare:P0} leaves none to train on. Add lines, lower --validation-share or give --validation FILE.", nameof(options));
            validation = lines[..held];
            lines = lines[held..];
        }
        var train = lines.Take(options.MaxTrainLines ?? int.MaxValue).ToList();
        return (encoder.EncodeAll(train), encoder.EncodeAll(validation));
    }

    // The model's config: a checkpoint's must hold the vocabulary; a config trained from scratch grows to the
    // vocabulary as HF's resize_token_embeddings would. A length the model cannot hold is an error, not a silent crop.
    private static BertConfig ModelConfig(PretrainOptions options, TextLineEncoder encoder)
    {
        var config = options.ModelDirectory is { } dir ? BertCheckpoint.ReadConfig(dir) : BertConfig.Load(options.ConfigPath!);
        config = BertSublayers.Apply(config, options.Sublayers, options.ModelDirectory);
        config = PositionExtension.ConfigFor(config, options.MaxPositions, options.ModelDirectory);
        if (encoder.VocabularySize > config.VocabSize)
        {
            if (options.ModelDirectory is not null)
                throw new ArgumentException($"the vocabulary has {encoder.VocabularySize} ids but the model's vocab_size is {config.VocabSize}; use the vocabulary the model was trained with.", nameof(options));
            config = config with { VocabSize = encoder.VocabularySize };
        }
        if (options.MaxLength > config.MaxPositionEmbeddings)
            throw new ArgumentException($"--max-length {options.MaxLength} exceeds the model's {config.MaxPositionEmbeddings} position embeddings; use at most {config.MaxPositionEmbeddings}, or give the model more positions: --max-positions {options.MaxLength} here, or `sieve extend --model DIR --max-positions {options.MaxLength} -o OUT` once (Longformer's copy of the learned table).", nameof(options));
        return config;
    }

    // Each checkpoint folder is also an HF model directory: config.json (with the pattern), vocab.txt and
    // tokenizer_config.json (the options the corpus was tokenized with) beside the weights.
    private static void WriteModelFiles(string folder, BertConfig config, string vocabPath, TokenizerOptions tokenizer)
    {
        File.WriteAllText(Path.Combine(folder, BertCheckpoint.ConfigFileName), (config with { Architectures = [nameof(BertForMaskedLM)] }).ToJson());
        BertCheckpoint.WriteTokenizerFiles(folder, vocabPath, tokenizer, config);
    }
}
