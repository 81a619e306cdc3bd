// The evaluation status line: throttled to one per interval, with the rate and time left from the counts so far.
using Sieve.FineTuning;

namespace Sieve.Tests.FineTuning;

public sealed class EvaluationProgressTests
{
    [Fact]
    public void Writes_at_most_one_line_per_interval_with_rate_and_time_left()
    {
        var lines = new List<string>();
        var now = TimeSpan.Zero;
        var progress = new EvaluationProgress("dev", 300, lines.Add, TimeSpan.FromSeconds(10), () => now);
        now = TimeSpan.FromSeconds(4);
        progress.Report(20);                                                       // before the first interval: quiet
        now = TimeSpan.FromSeconds(10);
        progress.Report(50);                                                       // 5/s, 250 left: 50 s
        now = TimeSpan.FromSeconds(15);
        progress.Report(75);                                                       // 5 s after the last line: quiet
        now = TimeSpan.FromSeconds(60);
        progress.Report(300);                                                      // done
        Assert.Equal(["evaluating dev: 50/300 examples, 5.0/s, ETA 00:00:50", "evaluating dev: 300/300 examples, 5.0/s, ETA 00:00:00"], lines);
    }

    [Fact]
    public void Is_null_without_a_status_sink() => Assert.Null(EvaluationProgress.Every10Seconds("dev", 10, null));
}
