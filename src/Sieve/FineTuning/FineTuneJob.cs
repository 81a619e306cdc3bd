// One fine-tuning run from files to a saved model: read and encode the task, build the classifier (from a checkpoint
// or from scratch), set its pattern, train with the HF-style trainer (resumable), evaluate on dev with measured ρ, and
// save an HF model directory that records the pattern.
using System.Diagnostics;
using System.Globalization;
using Sieve.Benchmarking;
using Sieve.Checkpoints;
using Sieve.Data;
using Sieve.Kernels;
using Sieve.Learnable;
using Sieve.Modeling;
using Sieve.Specs;
using Sieve.Tokenization;
using Sieve.Training;
using static TorchSharp.torch;

namespace Sieve.FineTuning;

/// <summary>Runs <see cref="FineTuneOptions"/> end to end.</summary>
public static class FineTuneJob
{
    /// <summary>The folder under the output folder where the final model is saved.</summary>
    public const string ModelFolder = RunFolder.ModelFolder;

    // How many dev lengths stand for the dev split in the sparsity penalty (PenaltyLengths): the gates of one example of
    // each per step, a batch's worth of work for the pattern alone.
    private const int PenaltyLengthCount = 16;

    /// <summary>
    /// Fine-tunes as <paramref name="options"/> say. <paramref name="progress"/> receives the trainer's reports,
    /// <paramref name="status"/> one-line notes (what was loaded, what is newly initialised). Cancelling saves a
    /// checkpoint and returns; <c>Resume</c> continues from it.
    /// </summary>
    public static FineTuneResult Run(FineTuneOptions options, IProgress<TrainingProgress>? progress = null, Action<string>? status = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.ModelDirectory is null) == (options.ConfigPath is null))
            throw new ArgumentException("give either a model directory to fine-tune (--model) or a config.json to train from scratch (--config), not both or neither.", nameof(options));
        var task = options.Task;
        var splits = TaskFileReader.ReadTask(task, options.DataDirectory, options.SkipMalformedRows ? MalformedRowPolicy.Skip : MalformedRowPolicy.Error);
        var train = splits.FirstOrDefault(s => s.Split == DataSplit.Train)
            ?? throw new FileNotFoundException($"{options.DataDirectory} has no {task.Layout(DataSplit.Train)?.FileName} for the {task.Name} task; training needs it.");
        var dev = splits.FirstOrDefault(s => s.Split == DataSplit.Dev);
        var devMismatched = splits.FirstOrDefault(s => s.Split == DataSplit.DevMismatched);   // MNLI only
        // Checked before training: an unusable dev split found after it would cost the run and its final model.
        RequireExamples(train, options.MaxTrainExamples, "--max-train-examples", "training needs at least one");
        if (dev is not null) RequireExamples(dev, options.MaxEvalExamples, "--max-eval-examples", "fix the file, or remove it to train without evaluation");
        if (devMismatched is not null) RequireExamples(devMismatched, options.MaxEvalExamples, "--max-eval-examples", "fix the file, or remove it to evaluate on the matched dev split only");

        var (tokenizer, vocabPath, tokenizerOptions) = Tokenizer(options);
        var encoder = TaskEncoder.For(task, tokenizer, options.MaxLength);
        if (task.Kind == TaskKind.Text)
        {
            status?.Invoke(encoder.UsesWordPiece
                ? $"text: read in wordpieces of {vocabPath}"
                : "text: read in UTF-8 bytes (LRA Text's encoding, for a model trained from scratch; --vocab or a --model with a vocabulary reads wordpieces)");
        }
        var trainParses = options.TrainParses is { } trainFile ? TaskParses.Read(trainFile, train.FilePath, options.UnparsedRows) : null;
        var devParses = options.DevParses is { } devFile && dev is not null ? TaskParses.Read(devFile, dev.FilePath, options.UnparsedRows) : null;
        var trainExamples = encoder.EncodeAll([.. train.Examples.Take(options.MaxTrainExamples ?? int.MaxValue)], trainParses);
        var devExamples = dev is null ? null : encoder.EncodeAll([.. dev.Examples.Take(options.MaxEvalExamples ?? int.MaxValue)], devParses);
        var mismatchedParses = options.DevMismatchedParses is { } mismatchedFile && devMismatched is not null ? TaskParses.Read(mismatchedFile, devMismatched.FilePath, options.UnparsedRows) : null;
        var mismatchedExamples = devMismatched is null ? null : encoder.EncodeAll([.. devMismatched.Examples.Take(options.MaxEvalExamples ?? int.MaxValue)], mismatchedParses);
        status?.Invoke($"{task.Name}: {trainExamples.Length} training examples{(devExamples is null ? ", no dev split" : $", {devExamples.Length} dev examples")}"
            + $"{(mismatchedExamples is null ? "" : $" (matched), {mismatchedExamples.Length} mismatched")}; at most {options.MaxLength} tokens each");
        foreach (var parses in new[] { trainParses, devParses, mismatchedParses }.OfType<TaskParses>())
            status?.Invoke($"parses: {parses.Path} for {parses.DataFile}" + (parses.Unparsed > 0 ? $"; {parses.Unparsed} row(s) without a matching parse got no arcs" : ""));

        var config = TaskConfig(options, encoder, trainExamples);
        // The one spec grammar (AttentionSpec): fine-tuning takes every form, patterns, variants and learnable patterns.
        var asked = options.Pattern is { } text ? AttentionSpec.Parse(text) : null;
        RequireParses((asked ?? config.Sieve?.ReadSpec())?.Pattern, (trainParses, train, "--train-parses"), (devParses, dev, "--dev-parses"),
            (mismatchedParses, devMismatched, "--dev-mismatched-parses"));
        var learnable = LearnablePatternOf(options, config, asked?.Learnable);
        var sparsityTarget = SparsityTargetOf(options, trainExamples, devExamples, config, status);
        // Taken once the inputs are known to be usable, and held until the final model is saved.
        using var run = RunFolder.Open(options.Trainer.OutputDir, Settings(options with { SparsityTarget = sparsityTarget }, config, train, dev, vocabPath), options.Resume, options.ResumeFrom);
        manual_seed(options.Trainer.Seed);
        // A saved learnable pattern is rebuilt here with this run's learning options, before its weights load.
        using var model = new BertForSequenceClassification(config.Sieve is { LearnablePattern: not null } saved ? config with { Sieve = saved with { LearnablePattern = null } } : config);
        if (learnable is { Saved: true } savedLearnable) model.Bert.UseLearnablePattern(savedLearnable.Spec, options.PatternLearning);
        if (options.ModelDirectory is { } directory)
        {
            var report = BertCheckpoint.LoadWeights(model, directory, new CheckpointLoadOptions { TilePositions = options.MaxPositions is not null });
            status?.Invoke(report.Describe(directory));
            if (options.MaxPositions is not null) status?.Invoke(PositionExtension.Describe(directory, config));
        }
        string? attention;
        if (learnable is { } learn)
        {
            // A new learnable pattern starts from its initial logits on top of the loaded encoder.
            if (!learn.Saved) model.Bert.UseLearnablePattern(learn.Spec, options.PatternLearning);
            model.Bert.Attention = new AttentionSettings { Kernel = options.Kernel, Seed = (ulong)options.Trainer.Seed, GateBiasScale = options.GateBiasScale };
            attention = learn.Spec.ToString();
            status?.Invoke($"attention: learns {attention} (training: gates as a bias on the {(options.Kernel == AttentionKernelKind.Reference ? "Reference" : "Sdpa")} kernel; evaluation: the hardened pattern on the {options.Kernel} kernel)" +
                (sparsityTarget is { } target ? string.Create(CultureInfo.InvariantCulture, $"; target ρ {target.Target}, α {target.Alpha} ({target.Schedule}, {target.Penalty})") : ""));
        }
        else
        {
            // A pattern, an attention variant or a layer schedule of both (AttentionSpec); variants are built after the
            // checkpoint's weights are loaded, so a pre-trained encoder gets freshly initialised ones.
            var spec = model.Bert.ApplyAttentionOrKeep(asked, options.Kernel, (ulong)options.Trainer.Seed);
            attention = spec?.ToString();
            status?.Invoke($"attention: {attention ?? "dense (HF)"} on the {options.Kernel} kernel");
        }
        if (config.ClassifierPooling == ClassifierPooling.Mean)
            status?.Invoke("classifier: on the mean of the last hidden state over the real tokens (no pooler)");

        var savedConfig = config with { Sieve = model.Bert.SieveSettings };
        bool regression = task.IsRegression;
        var batches = new ShuffledBatchSource<TaskBatch>(trainExamples.Length, options.BatchSize,
            indices => TaskBatch.Collate([.. indices.Select(i => trainExamples[i])], encoder.PadId, regression))
        {
            GroupByLength = options.GroupByLength ? [.. trainExamples.Select(e => e.InputIds.Length)] : null,
        };
        // Without checkpoints the trainer's end-of-run evaluation would only repeat the final one below.
        bool evaluateInTrainer = devExamples is not null && (options.Trainer.SaveCheckpoints || options.Trainer.EvalSteps > 0);
        // The trainer evaluates at its last step, and nothing changes the model after it, so a completed run reuses that
        // evaluation as the final one below instead of reading the dev split twice (minutes on long documents).
        EvaluationResult? lastEvaluation = null;
        Func<IReadOnlyDictionary<string, double>>? evaluate = !evaluateInTrainer ? null
            : () => (lastEvaluation = TaskEvaluator.Evaluate(model, task, devExamples!, encoder.PadId, options.EvalBatchSize,
                EvaluationProgress.Every10Seconds("dev", devExamples!.Length, status))).ToDictionary();
        var step = new ClassifierStep(model, sparsityTarget, PenaltyLengths(options, model.Bert, devExamples, status));
        using var trainer = new Trainer<TaskBatch>(model, options.Trainer, batches, step.Run, evaluate, step.PatternGroup)
        {
            Progress = progress,
            SaveExtras = folder => WriteModelFiles(folder, savedConfig, vocabPath, tokenizerOptions),
            BeforeStep = step.Begin,
        };
        step.TotalSteps = trainer.MaxSteps;

        PeakMemory.TryReset();
        var clock = Stopwatch.StartNew();
        var training = run.ResumeCheckpoint is { } checkpoint ? trainer.Resume(checkpoint, cancellationToken) : trainer.Train(cancellationToken);
        clock.Stop();
        long? peak = PeakMemory.HighWaterMark();
        if (training.Outcome != TrainingOutcome.Completed)
            return new FineTuneResult(training, null, clock.Elapsed, peak, null, trainExamples.Length, train.Skipped.Count, attention) { SparsityTarget = sparsityTarget };

        // Null when this run trained no step (resumed from its last checkpoint): then the final model is evaluated here.
        var devResult = devExamples is null ? null : lastEvaluation ?? TaskEvaluator.Evaluate(model, task, devExamples, encoder.PadId, options.EvalBatchSize,
            EvaluationProgress.Every10Seconds("dev", devExamples.Length, status));
        var mismatchedResult = mismatchedExamples is null ? null : TaskEvaluator.Evaluate(model, task, mismatchedExamples, encoder.PadId, options.EvalBatchSize,
            EvaluationProgress.Every10Seconds("dev (mismatched)", mismatchedExamples.Length, status));
        string? modelDirectory = null;
        if (options.SaveModel)
        {
            modelDirectory = Path.Combine(options.Trainer.OutputDir, ModelFolder);
            BertCheckpoint.Save(model, savedConfig, modelDirectory, vocabPath, tokenizer: tokenizerOptions);
        }
        return new FineTuneResult(training, devResult, clock.Elapsed, peak, modelDirectory, trainExamples.Length, train.Skipped.Count, attention)
        {
            DevMismatched = mismatchedResult,
            SparsityTarget = sparsityTarget,
        };
    }

    /// <summary>
    /// Refuses, before anything is trained, a pattern that reads a dependency parse (syntax(k)) on a split given none:
    /// its layouts could not be built. <c>Option</c> is what the message tells the user to give (a CLI flag, a grid key).
    /// </summary>
    public static void RequireParses(Patterns.Pattern? pattern, params (TaskParses? Parses, SplitData? Split, string Option)[] splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        if (pattern is null || !pattern.Inputs.HasFlag(Patterns.ContextInputs.DependencyHeads)) return;
        foreach (var (parses, split, option) in splits)
        {
            if (split is null || parses is not null) continue;
            throw new ArgumentException($"{pattern} reads the dependency parse of every example, and the {Path.GetFileNameWithoutExtension(split.FilePath)} split {split.FilePath} has none: " +
                $"give {option} FILE, a CoNLL-U file with one sentence per text in row order (two per row for a pair task; see docs/PATTERNS.md).");
        }
    }

    private static void RequireExamples(SplitData split, int? limit, string limitOption, string advice)
    {
        if (split.Examples.Count == 0)
            throw new InvalidDataException($"{split.FilePath} has no usable row" + (split.Skipped.Count > 0 ? $" ({split.Skipped.Count} malformed, skipped)" : "") + $"; {advice}.");
        if (limit is 0)
            throw new ArgumentException($"{limitOption} 0 leaves no {split.Split.ToString().ToLowerInvariant()} example; give at least 1, or leave it out to use all.", nameof(limit));
    }

    // What changes the result of the run, recorded in its folder and compared on resume (see RunFolder).
    // The classifier's pooling is recorded as config.json records it, only when it is not HF's [CLS] pooler, so that run
    // folders from before the option still resume.
    private static IReadOnlyDictionary<string, string> Settings(FineTuneOptions options, BertConfig config, SplitData train, SplitData? dev, string? vocabPath)
    {
        var settings = RunSettings.Of(options.Trainer)
            .Add("task", options.Task.Name)
            .AddFile("train_file", train.FilePath)
            .AddFile("dev_file", dev?.FilePath)
            .AddModelDirectory("model", options.ModelDirectory)
            .AddFile("config", options.ConfigPath)
            .AddFile("vocab", vocabPath)
            .Add("pattern", options.Pattern)
            .Add("pattern_learning", options.PatternLearning)
            .Add("sparsity_target", options.SparsityTarget)
            .Add("sublayers", options.Sublayers)
            .Add("max_length", options.MaxLength)
            .Add("batch_size", options.BatchSize)
            .Add("max_train_examples", options.MaxTrainExamples)
            .Add("max_eval_examples", options.MaxEvalExamples)
            .Add("skip_malformed_rows", options.SkipMalformedRows);
        // Recorded only when given, so that runs started before parses existed still resume.
        if (options.TrainParses is not null) settings.AddFile("train_parses", options.TrainParses);
        if (options.DevParses is not null) settings.AddFile("dev_parses", options.DevParses);
        if (options.DevMismatchedParses is not null) settings.AddFile("dev_mismatched_parses", options.DevMismatchedParses);
        if (options.UnparsedRows != UnparsedRowPolicy.Error) settings.Add("unparsed_rows", options.UnparsedRows.ToString().ToLowerInvariant());
        // Recorded only when given, so that runs started before the option existed still resume.
        if (options.MaxPositions is { } positions) settings.Add("max_positions", positions);
        if (options.GroupByLength) settings.Add("group_by_length", true);
        if (options.GateBiasScale != LearnablePattern.DefaultBiasScale) settings.Add("gate_bias_scale", options.GateBiasScale);
        if (config.ClassifierPooling != ClassifierPooling.Cls) settings.Add("classifier_pooling", config.ClassifierPooling.ToString().ToLowerInvariant());
        return settings.ToDictionary();
    }

    // The learnable pattern of the run, if any: the one --pattern names, else the checkpoint's own (Saved: its weights
    // load into it). Combinations that cannot work are refused here, before anything is trained.
    private static (LearnableSpec Spec, bool Saved)? LearnablePatternOf(FineTuneOptions options, BertConfig config, LearnableSpec? asked)
    {
        var saved = config.Sieve?.LearnablePattern is { } text ? LearnableSpec.Parse(text) : null;
        if (options.Pattern is not null && asked is null && saved is not null)
            throw new ArgumentException($"{options.ModelDirectory} learned its pattern ({saved}); --pattern {options.Pattern} would drop what it learned. Omit --pattern to keep training it, or start from a model without a learnable pattern.", nameof(options));
        if (asked is not null && saved is not null && asked.Kind != saved.Kind)
            throw new ArgumentException($"{options.ModelDirectory} learned {saved}; it cannot continue as {asked}, a different kind of learnable pattern. Start from a model without a learnable pattern.", nameof(options));
        if (asked is { Kind: LearnableKind.LearnedDiagonal, Level: DiagonalLevel.Fixed } && saved is null)
            throw new ArgumentException($"{asked} freezes a learned diagonal mask: fine-tune from a --model that learned one (level=task), or learn it with level=task or task+layer.", nameof(options));
        var spec = asked ?? saved;
        if (spec is null)
        {
            if (options.SparsityTarget is not null)
                throw new ArgumentException("a target sparsity trains a learnable pattern towards it; give one with --pattern, e.g. learned_diagonal(max_offset=16, level=task)+global(1) or aaa(local=2).", nameof(options));
            return null;
        }
        return (spec, saved is not null);
    }

    // The penalty of AAA Eq. 10 as given, or with MatchSparsityOf its target measured: the ρ (Eq. 9) of that fixed pattern
    // on the examples just encoded (training, or dev with MatchSparsityOn), over every layer and head of the model. The
    // resolved target is what the run records and resumes with, as a target given by hand is.
    private static SparsityLoss? SparsityTargetOf(FineTuneOptions options, EncodedExample[] train, EncodedExample[]? dev, BertConfig config, Action<string>? status)
    {
        if (options.MatchSparsityOf is not { } match) return options.SparsityTarget;
        var penalty = options.SparsityTarget
            ?? throw new ArgumentException($"matching the sparsity of {match} sets the target of the sparsity penalty (AAA Eq. 10); give the penalty too (its alpha, schedule).", nameof(options));
        var (examples, name) = options.MatchSparsityOn switch
        {
            DataSplit.Train => (train, "training"),
            DataSplit.Dev => (dev ?? throw new ArgumentException($"the sparsity of {match} is to be matched on the dev split, but {options.DataDirectory} has no {options.Task.Layout(DataSplit.Dev)?.FileName}; match it on the training split, or add the dev file.", nameof(options)), "dev"),
            var other => throw new ArgumentException($"the sparsity of {match} is matched on the training or the dev split, not {other}.", nameof(options)),
        };
        double rho = TrainingSparsity.Of(TrainingSparsity.PatternOf(match), examples, config.NumHiddenLayers, config.NumAttentionHeads);
        status?.Invoke(string.Create(CultureInfo.InvariantCulture, $"target sparsity {rho:0.0000}, the ρ of {match} on the {name} examples"));
        return penalty with { Target = rho };
    }

    // With a target measured on the dev split, a pattern whose gates do not read the input is penalised at the dev lengths:
    // its ρ changes with length as the matched pattern's does, and on SST-2 (training phrases of a few words, whole dev
    // sentences) a penalty on the training batches lands 12 points past the target on dev. Quantiles of the dev lengths
    // stand for them, each weighing as much as Eq. 9 weighs every example. AAA's gates read the input: it keeps the
    // batch's ρ.
    private static int[]? PenaltyLengths(FineTuneOptions options, BertModel bert, EncodedExample[]? dev, Action<string>? status)
    {
        if (options.MatchSparsityOf is null || options.MatchSparsityOn != DataSplit.Dev || dev is null || bert.Learned is not { IsInputDependent: false })
            return null;
        int[] lengths = TrainingSparsity.LengthQuantiles(dev, PenaltyLengthCount);
        status?.Invoke($"sparsity penalty: ρ of the gates at {lengths.Length} quantiles of the dev lengths ({lengths[0]}–{lengths[^1]} tokens), not at the training batch's");
        return lengths;
    }

    // The tokenizer and the options saved with the model: a model folder's own (a cased folder stays cased), else HF's defaults.
    private static (SieveTokenizer? Tokenizer, string? VocabPath, TokenizerOptions Options) Tokenizer(FineTuneOptions options)
    {
        var vocab = options.VocabPath ?? (options.ModelDirectory is { } dir ? BertCheckpoint.VocabPath(dir) : null);
        var tokenizerOptions = options.ModelDirectory is { } model ? TokenizerOptions.FromCheckpoint(model) : TokenizerOptions.Default;
        if (!TaskEncoder.ReadsWordPiece(options.Task, vocab is not null)) return (null, vocab, tokenizerOptions);
        if (vocab is null)
            throw new ArgumentException($"the {options.Task.Name} task needs a WordPiece vocabulary: pass --vocab vocab.txt, or a --model directory that has one.", nameof(options));
        return (SieveTokenizer.Create(vocab, tokenizerOptions), vocab, tokenizerOptions);
    }

    // The model's config fitted to the task: its labels, and for a config trained from scratch on an LRA task, the
    // task's own vocabulary size. A vocabulary or length the model cannot hold is an error, not a silent crop.
    private static BertConfig TaskConfig(FineTuneOptions options, TaskEncoder encoder, EncodedExample[] train)
    {
        var task = options.Task;
        var config = options.ModelDirectory is { } dir ? BertCheckpoint.ReadConfig(dir) : BertConfig.Load(options.ConfigPath!);
        config = BertSublayers.Apply(config, options.Sublayers, options.ModelDirectory);
        config = PositionExtension.ConfigFor(config, options.MaxPositions, options.ModelDirectory);
        if (options.ConfigPath is not null && !encoder.UsesWordPiece) config = config with { VocabSize = encoder.VocabularySize };
        ModelInputLimits.CheckVocabulary(config, encoder.VocabularySize);
        // A pair task on a model of one token type would index past its token-type table inside libtorch.
        ModelInputLimits.CheckSegments(config, train.Select(e => e.TokenTypeIds));
        if (options.MaxLength > config.MaxPositionEmbeddings)
            throw new ArgumentException($"--max-length {options.MaxLength} exceeds the model's {config.MaxPositionEmbeddings} position embeddings; use at most {config.MaxPositionEmbeddings}, or give the model more positions: --max-positions {options.MaxLength} here, or `sieve extend --model DIR --max-positions {options.MaxLength} -o OUT` once (Longformer's copy of the learned table).", nameof(options));
        int classes = task.ClassCount ?? (int)train.Max(e => e.Target) + 1;
        var names = task.LabelNames ?? [.. Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        return config with
        {
            ClassifierPooling = options.ClassifierPooling ?? config.ClassifierPooling,
            NumLabels = classes,
            Id2Label = task.IsRegression ? null : names.Select((name, i) => (name, i)).ToDictionary(p => p.i.ToString(CultureInfo.InvariantCulture), p => p.name),
            Label2Id = task.IsRegression ? null : names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i),
            ProblemType = task.IsRegression ? "regression" : "single_label_classification",
        };
    }

    // Each checkpoint folder is also an HF model directory: config.json (with the pattern), vocab.txt and
    // tokenizer_config.json beside the weights.
    private static void WriteModelFiles(string folder, BertConfig config, string? vocabPath, TokenizerOptions tokenizer)
    {
        File.WriteAllText(Path.Combine(folder, "config.json"), (config with { Architectures = [nameof(BertForSequenceClassification)] }).ToJson());
        if (vocabPath is not null) BertCheckpoint.WriteTokenizerFiles(folder, vocabPath, tokenizer, config);
    }
}
