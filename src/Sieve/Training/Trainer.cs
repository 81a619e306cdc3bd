// The training loop of HF `Trainer` (transformers/trainer.py) for any TorchSharp module: AdamW with decay / no-decay
// groups, linear warm-up and decay, gradient accumulation and clipping, evaluation every k steps with the best
// checkpoint kept, JSONL + TensorBoard logs, checkpoints that resume bit-exactly, and a stop on a non-finite loss.
using System.Diagnostics;
using static TorchSharp.torch;

namespace Sieve.Training;

/// <summary>Trains <see cref="Model"/> on the batches of an <see cref="IBatchSource{TBatch}"/>.</summary>
/// <typeparam name="TBatch">One micro-batch; disposed after its step when it is <see cref="IDisposable"/>.</typeparam>
public sealed class Trainer<TBatch> : IDisposable
{
    private readonly IBatchSource<TBatch> _batches;
    private readonly Func<TBatch, TrainStepResult> _step;
    private readonly Func<IReadOnlyDictionary<string, double>>? _evaluate;
    private readonly optim.Optimizer _optimizer;
    private readonly double[] _peakRates;   // each optimizer group's learning rate before the schedule's factor
    private readonly List<TorchSharp.Modules.Parameter> _parameters;
    private readonly List<TorchSharp.Modules.Parameter>[] _clipGroups;   // clipped separately: the model's, then the own-rate ones

    /// <summary>
    /// A trainer for <paramref name="model"/> (not owned). <paramref name="step"/> runs the forward pass of one
    /// micro-batch and returns its mean loss; <paramref name="evaluate"/>, when given, returns evaluation metrics
    /// (it runs with the model in eval mode and without gradients). <paramref name="ownRate"/> puts some parameters in an
    /// optimizer group of their own (its peak learning rate, no weight decay), scheduled like the others.
    /// </summary>
    public Trainer(nn.Module model, TrainerOptions options, IBatchSource<TBatch> batches, Func<TBatch, TrainStepResult> step,
        Func<IReadOnlyDictionary<string, double>>? evaluate = null, OwnRateGroup? ownRate = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(step);
        if (batches.BatchesPerEpoch < 1)
            throw new ArgumentException("the batch source has no batches; check the training data.", nameof(batches));
        Model = model;
        Options = options;
        _batches = batches;
        _step = step;
        _evaluate = evaluate;
        _optimizer = ParameterGroups.CreateAdamW(model, options, ownRate);
        _peakRates = [.. _optimizer.ParamGroups.Select(g => g.LearningRate)];
        _parameters = [.. model.parameters().Where(p => p.requires_grad)];
        // The own-rate parameters (a learnable pattern's logits) are clipped apart from the model's: their gradients
        // through the straight-through gates can be 10^5–10^12 times the model's, and one joint norm then scales the
        // model's gradients below AdamW's ε, so a pre-trained encoder stopped learning while its pattern trained.
        var own = ownRate?.Parameters.Select(p => p.Handle).ToHashSet();
        _clipGroups = own is null ? [_parameters] : [[.. _parameters.Where(p => !own.Contains(p.Handle))], [.. _parameters.Where(p => own.Contains(p.Handle))]];
        StepsPerEpoch = (batches.BatchesPerEpoch + options.GradientAccumulationSteps - 1) / options.GradientAccumulationSteps;
        MaxSteps = options.MaxSteps > 0 ? options.MaxSteps : options.Epochs * StepsPerEpoch;
        WarmupSteps = LinearSchedule.WarmupSteps(MaxSteps, options.WarmupRatio, options.WarmupSteps);
    }

    /// <summary>The model being trained.</summary>
    public nn.Module Model { get; }

    /// <summary>The options of the run.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Optimizer steps per epoch: ⌈batches per epoch / accumulation⌉ (the last step of an epoch may use fewer micro-batches).</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Optimizer steps of the whole run.</summary>
    public int MaxSteps { get; }

    /// <summary>Warm-up steps of the schedule.</summary>
    public int WarmupSteps { get; }

    /// <summary>Receives a report after every logged step (the CLI draws it as a progress bar).</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Adds files (config.json, vocab.txt …) to each checkpoint folder before it is renamed into place.</summary>
    public Action<string>? SaveExtras { get; init; }

    /// <summary>
    /// Called with the 0-based index of each update before its micro-batches run (also after a resume), for what
    /// depends on the step: a learnable pattern's temperature, the α schedule of the sparsity hinge.
    /// </summary>
    public Action<int>? BeforeStep { get; init; }

    /// <summary>The learning rate of the update with 0-based index <paramref name="step"/>.</summary>
    public double LearningRateAt(int step) => Options.LearningRate * LinearSchedule.Factor(step, WarmupSteps, MaxSteps);

    /// <summary>Trains from the model's current weights and a fresh optimizer; cancellation saves a checkpoint and returns.</summary>
    public TrainingResult Train(CancellationToken cancellationToken = default) =>
        Run(new TrainerState { MaxSteps = MaxSteps, BatchesPerEpoch = _batches.BatchesPerEpoch, GradientAccumulationSteps = Options.GradientAccumulationSteps, Seed = Options.Seed, MetricForBestModel = Options.MetricForBestModel }, resumed: false, cancellationToken);

    /// <summary>
    /// Restores weights, optimizer and trainer state from <paramref name="checkpointDir"/> and continues exactly where that
    /// checkpoint stood: the same schedule, data order and random draws as a run that was never interrupted.
    /// </summary>
    public TrainingResult Resume(string checkpointDir, CancellationToken cancellationToken = default)
    {
        var state = TrainerCheckpoint.Load(checkpointDir, Model, _optimizer);
        Check(state.Seed == Options.Seed, $"seed {state.Seed}", $"seed {Options.Seed}", checkpointDir);
        Check(state.BatchesPerEpoch == _batches.BatchesPerEpoch, $"{state.BatchesPerEpoch} batches per epoch", $"{_batches.BatchesPerEpoch}", checkpointDir);
        Check(state.GradientAccumulationSteps == Options.GradientAccumulationSteps, $"accumulation over {state.GradientAccumulationSteps} batches", $"{Options.GradientAccumulationSteps}", checkpointDir);
        Check(state.MaxSteps == MaxSteps, $"{state.MaxSteps} steps in all", $"{MaxSteps}", checkpointDir);
        return Run(state, resumed: true, cancellationToken);
    }

    /// <summary>
    /// <see cref="Resume"/> from the newest checkpoint in the output folder when <paramref name="resume"/> is set (an
    /// error when there is none), else <see cref="Train"/>.
    /// </summary>
    public TrainingResult TrainOrResume(bool resume, CancellationToken cancellationToken = default) =>
        resume
            ? Resume(TrainerCheckpoint.Latest(Options.OutputDir)
                ?? throw new InvalidOperationException($"nothing to resume: {Options.OutputDir} holds no checkpoint-<step> folder. Start without --resume."), cancellationToken)
            : Train(cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _optimizer.Dispose();

    private static void Check(bool same, string saved, string now, string dir)
    {
        if (!same)
            throw new InvalidOperationException($"{dir} was written with {saved}, but this run has {now}; resume with the options the run started with, or start a new run.");
    }

    private TrainingResult Run(TrainerState start, bool resumed, CancellationToken cancellationToken)
    {
        var output = Options.OutputDir;
        Directory.CreateDirectory(output);
        using var log = new TrainingLog(Path.Combine(output, TrainingLog.FileName), resumed ? start.GlobalStep : null);
        using var board = Options.TensorBoard ? new TensorBoardWriter(Path.Combine(output, "runs")) : null;

        var state = start;
        var savedStep = resumed ? start.GlobalStep : -1;
        var lastCheckpoint = resumed ? TrainerCheckpoint.PathOf(output, start.GlobalStep) : null;
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        IEnumerator<TBatch>? reader = null;
        var readerEpoch = -1;
        var readerNext = -1;
        try
        {
            Model.train();
            for (var step = start.GlobalStep; step < MaxSteps; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    if (!Options.SaveCheckpoints)
                        return Result(TrainingOutcome.Cancelled, state, $"cancelled at step {step} of {MaxSteps}; this run writes no checkpoints, so it cannot be resumed.", lastCheckpoint);
                    if (savedStep != step) lastCheckpoint = Save(state);
                    return Result(TrainingOutcome.Cancelled, state, $"cancelled at step {step} of {MaxSteps}; resume from {lastCheckpoint}.", lastCheckpoint);
                }

                // Position of this step: a pure function of the step, so a resume lands on the same batches.
                var epoch = step / StepsPerEpoch;
                var first = step % StepsPerEpoch * Options.GradientAccumulationSteps;
                var count = Math.Min(Options.GradientAccumulationSteps, _batches.BatchesPerEpoch - first);
                if (reader is null || readerEpoch != epoch || readerNext != first)
                {
                    reader?.Dispose();
                    reader = _batches.Batches(epoch, Options.Seed, first).GetEnumerator();
                    (readerEpoch, readerNext) = (epoch, first);
                }

                var learningRate = LearningRateAt(step);
                var factor = LinearSchedule.Factor(step, WarmupSteps, MaxSteps);
                foreach (var (group, peak) in _optimizer.ParamGroups.Zip(_peakRates)) group.LearningRate = peak * factor;
                BeforeStep?.Invoke(step);
                // Dropout draws of this step depend on (seed, step) only: nothing random has to be saved.
                var stepSeed = BatchOrder.StepSeed(Options.Seed, step);
                random.manual_seed(stepSeed);
                if (cuda.is_available()) cuda.manual_seed_all(stepSeed);
                Model.zero_grad(set_to_none: true);

                double lossSum = 0, sparsitySum = 0;
                var sparsityCount = 0;
                var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var m = 0; m < count; m++)
                {
                    if (!reader.MoveNext())
                        throw new InvalidOperationException($"the batch source gave only {first + m} batches in epoch {epoch}, but says it has {_batches.BatchesPerEpoch}; BatchesPerEpoch must match what Batches yields.");
                    readerNext++;
                    var batch = reader.Current;
                    try
                    {
                        using var scope = NewDisposeScope();
                        var result = _step(batch);
                        var loss = result.Loss.to_type(ScalarType.Float64).item<double>();
                        if (!double.IsFinite(loss))
                            return NonFinite(state, step, $"the loss of batch {first + m} of epoch {epoch} is {loss}", lastCheckpoint);
                        result.Loss.DividedBy(count).backward();
                        lossSum += loss;
                        tokens += result.Tokens;
                        if (result.Sparsity is { } rho) { sparsitySum += rho; sparsityCount++; }
                        foreach (var (key, value) in result.Scalars ?? new Dictionary<string, double>())
                            scalars[key] = scalars.GetValueOrDefault(key) + value / count;
                    }
                    finally
                    {
                        (batch as IDisposable)?.Dispose();
                    }
                }

                var gradNorm = ClipGradients();
                if (!double.IsFinite(gradNorm))
                    return NonFinite(state, step, $"the gradient norm is {gradNorm}", lastCheckpoint);
                _optimizer.step();

                var done = step + 1;
                var nextFirst = first + count;
                state = state with
                {
                    GlobalStep = done,
                    Epoch = nextFirst >= _batches.BatchesPerEpoch ? epoch + 1 : epoch,
                    BatchInEpoch = nextFirst >= _batches.BatchesPerEpoch ? 0 : nextFirst,
                    LastLoss = lossSum / count,
                };
                double? sparsity = sparsityCount > 0 ? sparsitySum / sparsityCount : null;
                if (done % Options.LoggingSteps == 0 || done == MaxSteps)
                    LogStep(log, board, done, state.LastLoss.Value, learningRate, gradNorm, sparsity, scalars, tokens, clock.Elapsed, done - start.GlobalStep);

                var improved = false;
                if (_evaluate is not null && ((Options.EvalSteps > 0 && done % Options.EvalSteps == 0) || done == MaxSteps))
                    (state, improved) = Evaluate(log, board, state);
                if (Options.SaveCheckpoints && (improved || done % Options.SaveSteps == 0 || done == MaxSteps))
                {
                    lastCheckpoint = Save(state);
                    savedStep = done;
                }
            }
            if (!Options.SaveCheckpoints)
                return Result(TrainingOutcome.Completed, state, $"trained {MaxSteps} steps (no checkpoints written).", null);
            var best = state.BestStep is { } b ? TrainerCheckpoint.PathOf(output, b) : null;
            return Result(TrainingOutcome.Completed, state, $"trained {MaxSteps} steps; the final checkpoint is {lastCheckpoint}" + (best is null ? "." : $", the best ({Options.MetricForBestModel} = {state.BestMetric}) is {best}."), lastCheckpoint);
        }
        finally
        {
            reader?.Dispose();
            Model.train();
        }
    }

    // Clips each group to MaxGradNorm on its own and returns the first group's norm (the model's) before clipping.
    private double ClipGradients()
    {
        double modelNorm = 0;
        for (int g = 0; g < _clipGroups.Length; g++)
        {
            var withGrad = _clipGroups[g].Where(p => p.grad is not null).ToList();
            double norm = withGrad.Count == 0 ? 0 : Options.MaxGradNorm > 0 ? nn.utils.clip_grad_norm_(withGrad, Options.MaxGradNorm) : Norm(withGrad);
            if (g == 0) modelNorm = norm;
            // A non-finite pattern gradient must stop the run like the model's would.
            else if (!double.IsFinite(norm)) return norm;
        }
        return modelNorm;
    }

    private static double Norm(IReadOnlyList<TorchSharp.Modules.Parameter> withGrad)
    {
        using var scope = NewDisposeScope();
        var squares = withGrad.Select(p => p.grad!.to_type(ScalarType.Float64).pow(Scalars.Of(2)).sum()).ToList();
        return stack(squares).sum().sqrt().item<double>();
    }

    private (TrainerState State, bool Improved) Evaluate(TrainingLog log, TensorBoardWriter? board, TrainerState state)
    {
        IReadOnlyDictionary<string, double> metrics;
        Model.eval();
        try
        {
            using var _ = no_grad();
            metrics = _evaluate!();
        }
        finally
        {
            Model.train();
        }
        var epoch = (double)state.GlobalStep / StepsPerEpoch;
        log.Write("eval", state.GlobalStep, epoch, metrics.Select(kv => KeyValuePair.Create("eval_" + kv.Key, kv.Value)));
        if (board is not null)
        {
            foreach (var (key, value) in metrics) board.AddScalar("eval/" + key, state.GlobalStep, value);
            board.Flush();
        }
        if (!metrics.TryGetValue(Options.MetricForBestModel, out var metric))
            throw new InvalidOperationException($"the evaluation returned no '{Options.MetricForBestModel}' (it returned {string.Join(", ", metrics.Keys)}); set MetricForBestModel to one of those.");
        var better = state.BestMetric is not { } best || (Options.ResolvedGreaterIsBetter ? metric > best : metric < best);
        return better ? (state with { BestMetric = metric, BestStep = state.GlobalStep }, true) : (state, false);
    }

    private void LogStep(TrainingLog log, TensorBoardWriter? board, int step, double loss, double learningRate, double gradNorm,
        double? sparsity, Dictionary<string, double> scalars, long tokens, TimeSpan elapsed, int stepsThisRun)
    {
        var tokensPerSecond = elapsed.TotalSeconds > 0 ? tokens / elapsed.TotalSeconds : 0;
        var values = new List<KeyValuePair<string, double>>
        {
            new("loss", loss), new("learning_rate", learningRate), new("grad_norm", gradNorm), new("tokens_per_second", tokensPerSecond),
        };
        if (sparsity is { } rho) values.Add(new("sparsity", rho));
        values.AddRange(scalars.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var epoch = (double)step / StepsPerEpoch;
        log.Write("train", step, epoch, values);
        if (board is not null)
        {
            foreach (var (key, value) in values) board.AddScalar("train/" + key, step, value);
            board.Flush();
        }
        var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / Math.Max(1, stepsThisRun) * (MaxSteps - step));
        Progress?.Report(new TrainingProgress(step, MaxSteps, epoch, loss, learningRate, gradNorm, sparsity, tokensPerSecond, elapsed, eta));
    }

    private string Save(TrainerState state)
    {
        var path = TrainerCheckpoint.Save(Options.OutputDir, state, Model, _optimizer, SaveExtras);
        if (Options.SaveTotalLimit is { } keep) TrainerCheckpoint.Rotate(Options.OutputDir, keep, state.BestStep);
        return path;
    }

    private TrainingResult NonFinite(TrainerState state, int step, string what, string? lastCheckpoint) =>
        Result(TrainingOutcome.NonFiniteLoss, state,
            $"stopped at step {step + 1}: {what}. No update was applied; "
            + (lastCheckpoint is null ? "no checkpoint was written yet. " : $"the last good checkpoint is {lastCheckpoint}. ")
            + "Lower the learning rate, raise the warm-up or check the data, then resume or restart.",
            lastCheckpoint);

    private TrainingResult Result(TrainingOutcome outcome, TrainerState state, string message, string? lastCheckpoint) =>
        new(outcome, state.GlobalStep, message, lastCheckpoint,
            Options.SaveCheckpoints && state.BestStep is { } best ? TrainerCheckpoint.PathOf(Options.OutputDir, best) : null, state.BestMetric);
}
