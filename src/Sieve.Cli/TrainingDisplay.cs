// The live view of a training run on stderr (stdout stays clean for --format json): a Spectre progress bar with step,
// loss, learning rate, ρ, tokens/s and ETA on a terminal; a plain line every few steps when stderr is redirected.
// Ctrl-C asks the trainer to stop at the next step boundary, where it saves a checkpoint that --resume continues.
using System.Globalization;
using Sieve.Training;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Runs a training function while showing its progress, and turns Ctrl-C into a clean stop.</summary>
internal static class TrainingDisplay
{
    /// <summary>Runs <paramref name="work"/> with a progress sink and a cancellation token wired to Ctrl-C.</summary>
    public static T Run<T>(TextWriter error, string title, Func<IProgress<TrainingProgress>, CancellationToken, T> work)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stop.IsCancellationRequested) return;   // a second Ctrl-C kills the process as usual
            e.Cancel = true;
            error.WriteLine("stopping at the end of this step; a checkpoint will be saved (run again with --resume to continue) …");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            bool terminal = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
            if (!terminal) return work(new LineProgress(error), stop.Token);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            T result = default!;
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                    result = work(new BarProgress(task, title), stop.Token);
                    task.Value = task.MaxValue;
                });
            return result;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>One line of numbers: step, loss, learning rate, ρ, tokens/s, ETA.</summary>
    public static string Describe(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.MaxSteps}  loss {p.Loss:0.0000}  lr {p.LearningRate:0.0e+0}{(p.Sparsity is double rho ? $"  ρ {rho:0.000}" : "")}  {p.TokensPerSecond:0} tok/s  ETA {p.Eta:hh\\:mm\\:ss}");

    // Synchronous on purpose: Progress<T> would post to the thread pool and reorder or drop reports.
    private sealed class BarProgress(ProgressTask task, string title) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            task.MaxValue = value.MaxSteps;
            task.Value = value.Step;
            task.Description = Markup.Escape($"{title}  {Describe(value)}");
        }
    }

    // About twenty lines per run, plus the last step, so a log file shows the trend without drowning.
    private sealed class LineProgress(TextWriter writer) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            int every = Math.Max(1, value.MaxSteps / 20);
            if (value.Step % every == 0 || value.Step == value.MaxSteps || value.Step == 1) writer.WriteLine(Describe(value));
        }
    }
}
