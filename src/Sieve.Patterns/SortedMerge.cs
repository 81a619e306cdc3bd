// Linear-time merges of two sorted, unique key lists: the set algebra behind `+`, `&` and `-`.
namespace Sieve.Patterns;

/// <summary>Merges two sorted, unique key spans into a <see cref="KeyBuffer"/>, keeping it sorted and unique.</summary>
internal delegate void KeyMerge(ReadOnlySpan<int> left, ReadOnlySpan<int> right, KeyBuffer output);

/// <summary>Union, intersection and difference of sorted, unique key lists, each O(|left| + |right|).</summary>
internal static class SortedMerge
{
    public static void Union(ReadOnlySpan<int> left, ReadOnlySpan<int> right, KeyBuffer output)
    {
        int i = 0, j = 0;
        while (i < left.Length && j < right.Length)
        {
            int a = left[i], b = right[j];
            if (a < b) { output.Add(a); i++; }
            else if (b < a) { output.Add(b); j++; }
            else { output.Add(a); i++; j++; }
        }
        output.AddRange(left[i..]);
        output.AddRange(right[j..]);
    }

    public static void Intersection(ReadOnlySpan<int> left, ReadOnlySpan<int> right, KeyBuffer output)
    {
        int i = 0, j = 0;
        while (i < left.Length && j < right.Length)
        {
            int a = left[i], b = right[j];
            if (a < b) i++;
            else if (b < a) j++;
            else { output.Add(a); i++; j++; }
        }
    }

    public static void Difference(ReadOnlySpan<int> left, ReadOnlySpan<int> right, KeyBuffer output)
    {
        int i = 0, j = 0;
        while (i < left.Length)
        {
            int a = left[i];
            while (j < right.Length && right[j] < a) j++;
            if (j == right.Length || right[j] != a) output.Add(a);
            i++;
        }
    }
}

/// <summary>A row enumerator that merges the rows of two bound operands.</summary>
internal sealed class MergedRows(PatternRows left, PatternRows right, KeyMerge merge) : PatternRows(left.Length)
{
    // Scratch buffers per thread and nesting depth: layouts of different heads are built in parallel, and the
    // operands of a merge may themselves be merges.
    [ThreadStatic] private static Stack<KeyBuffer>? _spare;

    public override void AppendRow(int row, KeyBuffer keys)
    {
        var spare = _spare ??= new Stack<KeyBuffer>();
        var a = spare.Count > 0 ? spare.Pop() : new KeyBuffer();
        var b = spare.Count > 0 ? spare.Pop() : new KeyBuffer();
        a.Clear();
        b.Clear();
        left.AppendRow(row, a);
        right.AppendRow(row, b);
        merge(a.Keys, b.Keys, keys);
        spare.Push(b);
        spare.Push(a);
    }
}
