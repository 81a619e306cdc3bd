// Evaluating long documents takes minutes with no training line to show for it; this turns the evaluator's count of
// examples done into a status line every few seconds (and none at all for an evaluation that ends sooner).
using System.Diagnostics;
using System.Globalization;

namespace Sieve.FineTuning;

/// <summary>
/// An <see cref="IProgress{T}"/> of examples done that writes "evaluating SPLIT: done/total examples, rate/s, ETA" to
/// <c>status</c> at most once per <c>interval</c>, on the reporting thread.
/// </summary>
public sealed class EvaluationProgress(string split, int total, Action<string> status, TimeSpan interval, Func<TimeSpan>? clock = null) : IProgress<int>
{
    private readonly Func<TimeSpan> _clock = clock ?? StartedClock();
    private TimeSpan _lastLine;

    /// <summary>A reporter for the command line: a line every 10 seconds; null without a status sink.</summary>
    public static EvaluationProgress? Every10Seconds(string split, int total, Action<string>? status) =>
        status is null ? null : new EvaluationProgress(split, total, status, TimeSpan.FromSeconds(10));

    private static Func<TimeSpan> StartedClock()
    {
        var watch = Stopwatch.StartNew();
        return () => watch.Elapsed;
    }

    public void Report(int value)
    {
        var now = _clock();
        if (now - _lastLine < interval || value <= 0) return;
        _lastLine = now;
        double rate = value / Math.Max(now.TotalSeconds, 1e-9);
        var left = TimeSpan.FromSeconds(Math.Max(total - value, 0) / rate);
        status(string.Create(CultureInfo.InvariantCulture, $"evaluating {split}: {value}/{total} examples, {rate:F1}/s, ETA {left:hh\\:mm\\:ss}"));
    }
}
