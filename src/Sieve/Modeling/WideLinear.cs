// A linear layer's forward on Sieve's 512-bit products (Kernels/WideGemm.cs) where they apply, else torch's own. The
// layers stay torch Linear modules, so their parameters, names, initialisation and checkpoints are untouched; only the
// product that runs them changes. SIEVE_LINEAR=torch keeps torch's products everywhere, for comparisons.
using Sieve.Kernels;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sieve.Modeling;

/// <summary>Runs a <see cref="Linear"/> layer on <see cref="WideGemm"/> for float32 CPU inputs on CPUs with AVX-512.</summary>
public static class WideLinear
{
    /// <summary>The environment variable that, set to <c>torch</c>, keeps torch's products.</summary>
    public const string Variable = "SIEVE_LINEAR";

    // Products below this many multiply-adds (2^28, 2.7e8) go to torch, which runs them as fast or faster: the weight's
    // packing and the parallel loops' start cost a fixed part of every call. Measured with `Sieve.Bench linear`
    // (docs/BENCHMARKS.md): MiniLM's 384 → 384 at M = 800 and 1,600 rows (1.2e8, 2.4e8) ran 0.92× and 0.97× torch's
    // speed, at 4,096 rows (6.0e8) 1.10×; its 384 → 1,536 at 800 rows (4.7e8) 1.08×.
    internal const long MinimumWork = 1L << 28;

    /// <summary>Whether the 512-bit products run where they apply (false when SIEVE_LINEAR=torch or the CPU lacks AVX-512).</summary>
    public static bool Enabled { get; set; } =
        WideGemm.Supported && !string.Equals(Environment.GetEnvironmentVariable(Variable), "torch", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="layer"/>(<paramref name="input"/>) for input [..., K]: the same values as layer.forward, to rounding.</summary>
    public static Tensor Forward(Linear layer, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return Forward(input, layer.weight!, layer.bias);
    }

    /// <summary>input·weightᵀ + bias for input [..., K], weight [N, K] and bias [N] or null, as torch's linear.</summary>
    public static Tensor Forward(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        long k = weight.shape[1], n = weight.shape[0], m = input.NumberOfElements / Math.Max(k, 1);
        bool applies = Enabled && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32 && input.device_type == TorchSharp.DeviceType.CPU
            && weight.device_type == TorchSharp.DeviceType.CPU && input.dim() >= 2 && input.shape[^1] == k && m * n * k >= MinimumWork
            && m * Math.Max(n, k) < int.MaxValue && n * k < int.MaxValue && bias?.dtype is null or ScalarType.Float32;
        if (!applies) return nn.functional.linear(input, weight, bias);
        using var scope = NewDisposeScope();
        var rows = input.reshape(-1, k).contiguous();                                     // [M, K]
        bool grad = is_grad_enabled() && (input.requires_grad || weight.requires_grad || bias?.requires_grad == true);
        var output = grad
            ? WideLinearFunction.apply(rows, weight.contiguous(), bias?.contiguous()!)
            : WideLinearFunction.Forward(rows, weight.contiguous(), bias?.contiguous());  // [M, N]
        long[] shape = [.. input.shape[..^1], n];
        return scope.MoveToOuter(output.view(shape));
    }
}
