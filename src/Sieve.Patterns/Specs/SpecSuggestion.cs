// The "did you mean" of every spec form: the known name closest to a misspelt one, when it is close enough to be a typo.
namespace Sieve.Patterns;

/// <summary>Suggests a known name for a misspelt one by edit distance.</summary>
public static class SpecSuggestion
{
    /// <summary>
    /// The name of <paramref name="known"/> closest to <paramref name="name"/> when at most one edit away, or two for a
    /// name of four or more characters; else null (a guess further off would mislead more than it helps).
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(known);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int distance = EditDistance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best is not null && bestDistance <= Math.Max(1, Math.Min(2, name.Length / 2)) ? best : null;
    }

    // Levenshtein distance.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
