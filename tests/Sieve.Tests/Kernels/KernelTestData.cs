// Shared inputs of the kernel tests: the built-in patterns, a hand-made irregular pattern with empty rows, and
// random q, k, v with an upstream gradient, all seeded.
using Sieve.Kernels;
using Sieve.Patterns;
using static TorchSharp.torch;

namespace Sieve.Tests.Kernels;

internal static class KernelTestData
{
    public static readonly int[] Lengths = [1, 16, 64, 130, 257];

    /// <summary>Every built-in shape and combinator, plus the irregular one; names are printed in test names.</summary>
    public static Pattern Pattern(string name) => name switch
    {
        "full" => new FullPattern(),
        "local(1)" => new LocalPattern(1),
        "local(3)" => new LocalPattern(3),
        "global(2)" => new GlobalPattern(2),
        "local(2)+global(1)" => new LocalPattern(2) + new GlobalPattern(1),
        "local(4)-local(1)" => new LocalPattern(4) - new LocalPattern(1),
        "local(5)&global(3)" => new LocalPattern(5) & new GlobalPattern(3),
        "irregular" => new IrregularPattern(),
        _ => throw new ArgumentException($"unknown test pattern {name}", nameof(name)),
    };

    public static readonly string[] PatternNames =
        ["full", "local(1)", "local(3)", "global(2)", "local(2)+global(1)", "local(4)-local(1)", "local(5)&global(3)", "irregular"];

    /// <summary>
    /// Two examples, two heads; with padding the second example is shorter than the padded length. Empty rows are kept
    /// (no diagonal added) so that the zero-row rule is exercised; the irregular pattern differs per head.
    /// </summary>
    public static AttentionLayout Layout(string pattern, int n, bool padding)
    {
        int[] lengths = padding ? [Math.Max(1, n - 5), n] : [n, n];
        int padded = padding ? n + 3 : n;
        var maps = new List<CsrLayout>();
        foreach (int length in lengths)
        {
            for (int head = 0; head < 2; head++)
                maps.Add(CsrLayout.Build(Pattern(pattern), new PatternContext(length) { PaddedLength = padded, Head = head }, EmptyRowPolicy.Keep));
        }
        return new AttentionLayout(maps, 2, 2);
    }

    /// <summary>q, k, v [2, 2, N, D] needing gradients, and an upstream gradient [2, 2, N, D], from a fixed seed.</summary>
    public static (Tensor Q, Tensor K, Tensor V, Tensor Up) Inputs(int padded, ScalarType dtype, int dim = 8, long seed = 7)
    {
        var generator = new Generator((ulong)seed);
        Tensor Make(bool grad) => randn([2, 2, padded, dim], dtype: dtype, generator: generator).requires_grad_(grad);
        return (Make(true), Make(true), Make(true), Make(false));
    }

    /// <summary>A pattern no built-in makes: scattered keys per row, different per head, and every fifth row empty.</summary>
    private sealed class IrregularPattern : Patterns.Pattern
    {
        public override PatternRows Bind(PatternContext context) => new Rows(context.Length, context.Head);

        public override string ToString() => "irregular";

        private sealed class Rows(int length, int head) : PatternRows(length)
        {
            public override void AppendRow(int row, KeyBuffer keys)
            {
                if (row % 5 == 3) return;
                var set = new SortedSet<int> { (row * 7) % Length, ((row * 3) + 1 + head) % Length, (row + 11) % Length };
                foreach (int key in set) keys.Add(key);
            }
        }
    }
}
