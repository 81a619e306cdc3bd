// Test helper: renders a bound pattern's dense view as rows of '1'/'.' so that hand-drawn masks can be compared whole.
namespace Sieve.Patterns.Tests;

internal static class MaskGrid
{
    /// <summary>The mask of <paramref name="pattern"/> on <paramref name="context"/>, one string per row ('1' = allowed).</summary>
    public static string[] Render(Pattern pattern, PatternContext context)
    {
        var dense = CsrLayout.Build(pattern, context, EmptyRowPolicy.Keep).ToDense();
        return Render(dense);
    }

    public static string[] Render(bool[,] dense)
    {
        int n = dense.GetLength(0);
        var rows = new string[n];
        for (int i = 0; i < n; i++)
        {
            var chars = new char[dense.GetLength(1)];
            for (int j = 0; j < chars.Length; j++) chars[j] = dense[i, j] ? '1' : '.';
            rows[i] = new string(chars);
        }
        return rows;
    }
}
