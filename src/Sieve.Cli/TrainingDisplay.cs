// The live view of training on stderr (stdout stays clean for --format json): a Spectre progress bar with step, loss,
// learning rate, ρ, tokens/s and ETA on a terminal; a plain line now and then when stderr is redirected. Ctrl-C asks
// (or SIGTERM) asks the trainer to stop at the next step boundary, where it saves a checkpoint that --resume continues.
using System.Globalization;
using System.Runtime.InteropServices;
using Sieve.Demo;
using Sieve.Training;
using Spectre.Console;

namespace Sieve.Cli;

/// <summary>Runs training work while showing its progress, and turns Ctrl-C into a clean stop.</summary>
internal static class TrainingDisplay
{
    /// <summary>One training run: the bar follows its steps.</summary>
    public static T Run<T>(TextWriter error, string title, Func<IProgress<TrainingProgress>, CancellationToken, T> work) =>
        Show(error, work, p => new View((double)p.Step / p.MaxSteps, $"{title}  {Describe(p)}", EveryTwentieth(p)));

    /// <summary>Several runs in a row (the demo): the bar follows all of them.</summary>
    public static T RunMany<T>(TextWriter error, Func<IProgress<DemoProgress>, CancellationToken, T> work) =>
        Show(error, work, p =>
        {
            string run = $"run {p.Run + 1}/{p.Runs} {p.Pattern} seed {p.Seed}";
            return p.Training is { } t
                ? new View((p.Run + ((double)t.Step / t.MaxSteps)) / p.Runs, $"{run}  {Describe(t)}", t.Step == t.MaxSteps || t.Step % Math.Max(1, t.MaxSteps / 4) == 0)
                : new View((double)p.Run / p.Runs, $"{run}  starting", PrintLine: true);
        });

    /// <summary>One line of numbers: step, loss, learning rate, ρ, tokens/s, ETA.</summary>
    public static string Describe(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.MaxSteps}  loss {p.Loss:0.0000}  lr {p.LearningRate:0.0e+0}{(p.Sparsity is double rho ? $"  ρ {rho:0.000}" : "")}  {p.TokensPerSecond:0} tok/s  ETA {p.Eta:hh\\:mm\\:ss}");

    // About twenty lines per run, plus the first and the last step, so a log file shows the trend without drowning.
    private static bool EveryTwentieth(TrainingProgress p) =>
        p.Step == 1 || p.Step == p.MaxSteps || p.Step % Math.Max(1, p.MaxSteps / 20) == 0;

    private static T Show<TReport, T>(TextWriter error, Func<IProgress<TReport>, CancellationToken, T> work, Func<TReport, View> view)
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
        // SIGTERM is what schedulers (Slurm, Kubernetes, systemd) send before they kill: it stops like Ctrl-C, with a
        // checkpoint. A second one is left to its default and ends the process.
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (stop.IsCancellationRequested) return;
            context.Cancel = true;
            error.WriteLine("terminated: stopping at the end of this step; a checkpoint will be saved (run again with --resume to continue) …");
            stop.Cancel();
        });
        try
        {
            bool terminal = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error);
            if (!terminal)
                return work(new SyncProgress<TReport>(report => { if (view(report) is { PrintLine: true } v) error.WriteLine(v.Text); }), stop.Token);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            T result = default!;
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bar = context.AddTask("starting", maxValue: 1);
                    // Synchronous on purpose: Progress<T> would post to the thread pool and reorder reports.
                    result = work(new SyncProgress<TReport>(report =>
                    {
                        var v = view(report);
                        bar.Value = Math.Clamp(v.Fraction, 0, 1);
                        bar.Description = Markup.Escape(v.Text);
                    }), stop.Token);
                    bar.Value = bar.MaxValue;
                });
            return result;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private sealed record View(double Fraction, string Text, bool PrintLine);
}
