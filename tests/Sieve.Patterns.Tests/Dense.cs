// Test helpers: dense views of a pattern's layout and of a brute-force predicate, to compare cell by cell.
namespace Sieve.Patterns.Tests;

internal static class Dense
{
    /// <summary>The layout's dense view with empty rows left empty, so set laws hold exactly.</summary>
    public static bool[,] Of(Pattern pattern, PatternContext context) =>
        CsrLayout.Build(pattern, context, EmptyRowPolicy.Keep).ToDense();

    /// <summary>A [padded, padded] map from a predicate over real positions (i, j) &lt; n; padding stays false.</summary>
    public static bool[,] From(int n, int padded, Func<int, int, bool> allowed)
    {
        var dense = new bool[padded, padded];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                dense[i, j] = allowed(i, j);
        return dense;
    }

    public static long Count(bool[,] dense)
    {
        long count = 0;
        foreach (bool cell in dense) if (cell) count++;
        return count;
    }

    /// <summary>Asserts equality and names the first differing cell.</summary>
    public static void Equal(bool[,] expected, bool[,] actual, string what)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                if (expected[i, j] != actual[i, j])
                    Assert.Fail($"{what}: cell ({i}, {j}) expected {expected[i, j]} but was {actual[i, j]}");
    }

    public static bool SameAs(bool[,] a, bool[,] b)
    {
        if (a.GetLength(0) != b.GetLength(0)) return false;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                if (a[i, j] != b[i, j]) return false;
        return true;
    }
}
