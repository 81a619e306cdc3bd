// Shared helpers of the variant tests: seeded float64 inputs with padding, central finite differences, and a
// state-dict round trip through a safetensors file.
using Sieve.Checkpoints;
using Sieve.Specs;
using static TorchSharp.torch;

namespace Sieve.Tests.Variants;

internal static class VariantTestData
{
    /// <summary>q, k, v [B, H, N, D], hidden [B, N, Hd] and a key padding where example 1 has <paramref name="shortLength"/> real tokens.</summary>
    public static (Tensor Q, Tensor K, Tensor V, Tensor Hidden, Tensor Padding) Inputs(int batch, int heads, int n, int dim, int shortLength, long seed = 5)
    {
        var generator = new Generator((ulong)seed);
        var q = randn([batch, heads, n, dim], dtype: ScalarType.Float64, generator: generator);
        var k = randn([batch, heads, n, dim], dtype: ScalarType.Float64, generator: generator);
        var v = randn([batch, heads, n, dim], dtype: ScalarType.Float64, generator: generator);
        var hidden = randn([batch, n, heads * dim], dtype: ScalarType.Float64, generator: generator);
        var padding = ones([batch, n], dtype: ScalarType.Bool);
        if (batch > 1) padding[1, TensorIndex.Slice(shortLength)] = tensor(false);
        return (q, k, v, hidden, padding);
    }

    /// <summary>Central differences of <paramref name="f"/> at <paramref name="x"/>.</summary>
    public static double[] NumericGradient(Func<double[], double> f, double[] x, double eps = 1e-6)
    {
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += eps;
            minus[i] -= eps;
            gradient[i] = (f(plus) - f(minus)) / (2 * eps);
        }
        return gradient;
    }

    /// <summary>Writes <paramref name="source"/>'s state dict to a safetensors file and loads it into <paramref name="target"/>.</summary>
    public static void RoundTrip(nn.Module source, nn.Module target)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sieve-variant-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensorsWriter.Write(path, source.state_dict());
            using var file = SafeTensorsFile.Open(path);
            var loaded = file.Entries.ToDictionary(e => e.Name, e => file.Read(e));
            Assert.Equal(source.state_dict().Keys.Order(StringComparer.Ordinal), loaded.Keys.Order(StringComparer.Ordinal));
            target.load_state_dict(loaded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Builds a variant from a spec twice (different initial weights), round-trips the first into the second, and checks equal outputs.</summary>
    public static void AssertSaveLoadRoundTrip(string spec, int heads, int dim, int n, int maxLength)
    {
        var (q, k, v, hidden, padding) = Inputs(2, heads, n, dim, n - 2, seed: 17);
        using var first = VariantSpec.Parse(spec).Create(heads, dim, heads * dim, maxLength, dtype: ScalarType.Float64);
        using var second = VariantSpec.Parse(spec).Create(heads, dim, heads * dim, maxLength, dtype: ScalarType.Float64);
        first.eval();
        second.eval();
        // Moves every saved value (parameters and buffers) away from its initial value, so that only a real load can
        // make the outputs agree.
        var generator = new Generator(31);
        using (no_grad())
        {
            foreach (var (_, value) in first.state_dict())
                value.add_(randn(value.shape, dtype: value.dtype, generator: generator) * 0.3);
        }
        Assert.NotEqual(first.Attend(q, k, v, hidden, padding).data<double>().ToArray(), second.Attend(q, k, v, hidden, padding).data<double>().ToArray());
        var expected = first.Attend(q, k, v, hidden, padding);
        RoundTrip(first, second);
        var actual = second.Attend(q, k, v, hidden, padding);
        Assert.Equal(expected.data<double>().ToArray(), actual.data<double>().ToArray());
    }
}
