// The linear layers' products on Sieve's 512-bit tiles (Modeling/WideLinear.cs) against torch's, round by round in one
// process (BenchmarkTiming's interleaved medians): an encoder's three shapes for hidden size H (the projections H → H,
// the feed-forward H → 4H and 4H → H; bert-base's 768 by default, MiniLM's 384) on M rows, forward without gradients
// and forward+backward with the input's, the weight's and the bias's gradients.
// Run: dotnet bench/Sieve.Bench/bin/Release/net10.0/Sieve.Bench.dll linear [M] [--rounds R] [--hidden H]
using System.Globalization;
using Sieve.Benchmarking;
using Sieve.Modeling;
using static TorchSharp.torch;

namespace Sieve.Bench;

/// <summary>Prints the median time and GFLOP/s of each shape and pass for torch's products and the 512-bit ones, and their ratio.</summary>
public static class LinearReport
{
    public static void Run(TextWriter output, int m = 4096, int rounds = 9, int hidden = 768)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"linear layers, M = {m} rows, float32, torch threads {get_num_threads()}, {rounds} rounds after a warm-up; medians"));
        output.WriteLine("| in → out | pass | torch ms | GFLOP/s | 512-bit ms | GFLOP/s | × torch |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        bool enabled = WideLinear.Enabled;
        foreach (var (inputs, outputs) in new[] { (hidden, hidden), (hidden, 4 * hidden), (4 * hidden, hidden) })
        {
            using var scope = NewDisposeScope();
            var layer = nn.Linear(inputs, outputs);
            var x = randn(m, inputs);
            var upstream = randn(m, outputs);
            double flops = 2.0 * m * inputs * outputs;
            Action Forward(bool wide) => () =>
            {
                WideLinear.Enabled = wide && enabled;
                using var noGrad = no_grad();
                WideLinear.Forward(layer, x).Dispose();
            };
            Action Both(bool wide) => () =>
            {
                WideLinear.Enabled = wide && enabled;
                using var inner = NewDisposeScope();
                var input = x.detach().requires_grad_();
                WideLinear.Forward(layer, input).mul(upstream).sum().backward();
                layer.zero_grad();
            };
            Action[] actions = [Forward(false), Forward(true), Both(false), Both(true)];
            foreach (var action in actions) action();                              // warm-up
            var medians = BenchmarkTiming.Medians(rounds, actions);                // interleaved rounds, order alternating
            foreach (bool backward in new[] { false, true })
            {
                double torchMs = medians[backward ? 2 : 0], wideMs = medians[backward ? 3 : 1];
                double work = backward ? 3 * flops : flops;                        // forward+backward: three products
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {inputs} → {outputs} | {(backward ? "fwd+bwd" : "forward")} | {torchMs:F1} | {work / torchMs / 1e6:F0} | {wideMs:F1} | {work / wideMs / 1e6:F0} | {torchMs / wideMs:F2} |"));
            }
        }
        WideLinear.Enabled = enabled;
        if (!enabled) output.WriteLine("(the 512-bit products are off on this machine or by SIEVE_LINEAR=torch: both columns are torch's)");
    }
}
