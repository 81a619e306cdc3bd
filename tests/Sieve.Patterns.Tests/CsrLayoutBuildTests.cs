// Tests that the two-pass CsrLayout.Build gives exactly the rows its pattern enumerates, with exact-size storage, and
// that it notices a pattern whose rows change between passes.
namespace Sieve.Patterns.Tests;

public sealed class CsrLayoutBuildTests
{
    public static TheoryData<string, int, int, EmptyRowPolicy> Cases => new()
    {
        { "local", 1, 1, EmptyRowPolicy.AddDiagonal },
        { "local", 37, 40, EmptyRowPolicy.AddDiagonal },
        { "local+global", 40, 40, EmptyRowPolicy.AddDiagonal },
        { "local&global", 30, 33, EmptyRowPolicy.Keep },
        { "local&global", 30, 33, EmptyRowPolicy.AddDiagonal },
        { "global-local", 25, 32, EmptyRowPolicy.AddDiagonal },
        { "local", 0, 4, EmptyRowPolicy.AddDiagonal },
    };

    private static Pattern PatternOf(string name) => name switch
    {
        "local" => new LocalPattern(3),
        "local+global" => new LocalPattern(2) + new GlobalPattern(2),
        "local&global" => new LocalPattern(1) & new GlobalPattern(1),
        "global-local" => new GlobalPattern(3) - new LocalPattern(1),
        _ => throw new ArgumentException(name, nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_HoldsEachEnumeratedRow_InExactStorage(string name, int n, int padded, EmptyRowPolicy policy)
    {
        var pattern = PatternOf(name);
        var context = new PatternContext(n) { PaddedLength = padded };
        var layout = CsrLayout.Build(pattern, context, policy);

        // Reference: enumerate every row on its own, apply the policy by hand.
        var bound = pattern.Bind(context);
        var expectedKeys = new List<int>();
        var expectedEmpty = new List<int>();
        for (int row = 0; row < padded; row++)
        {
            var buffer = new KeyBuffer();
            if (row < n) bound.AppendRow(row, buffer);
            if (row < n && buffer.Count == 0)
            {
                expectedEmpty.Add(row);
                if (policy == EmptyRowPolicy.AddDiagonal) buffer.Add(row);
            }
            Assert.Equal(buffer.Keys.ToArray(), layout.Row(row).ToArray());
            expectedKeys.AddRange(buffer.Keys.ToArray());
        }
        Assert.Equal(expectedKeys, layout.Keys);
        Assert.Equal(expectedKeys.Count, layout.Keys.Length);
        Assert.Equal(expectedEmpty, layout.EmptyRows);
        Assert.Equal(padded + 1, layout.RowOffsets.Length);
    }

    [Fact]
    public void Build_OfLocal2PlusGlobal2_Keeps9NMinus20()
    {
        foreach (int n in new[] { 8, 40, 128, 1000 })
            Assert.Equal(9L * n - 20, CsrLayout.Build(new LocalPattern(2) + new GlobalPattern(2), new PatternContext(n)).Nnz);
    }

    [Fact]
    public void Build_RejectsAPatternWhoseRowsChangeBetweenPasses()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CsrLayout.Build(new FlickeringPattern(), new PatternContext(5)));
        Assert.Contains("depend on its context only", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A broken pattern: every call of AppendRow adds one more key than the last.</summary>
    private sealed class FlickeringPattern : Pattern
    {
        public override PatternRows Bind(PatternContext context) => new Rows(context.Length);

        public override string ToString() => "flicker";

        private sealed class Rows(int length) : PatternRows(length)
        {
            private int _calls;

            public override void AppendRow(int row, KeyBuffer keys) => keys.AddRange(0, Math.Min(Length, 1 + _calls++ / Length));
        }
    }

    [Fact]
    public void Build_OfALengthPastAnArray_IsATypedError_NotAnOverflow()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CsrLayout.Build(new LocalPattern(1), new PatternContext(int.MaxValue)));
        Assert.Contains("shorter length", error.Message, StringComparison.Ordinal);
    }
}
