// A growable int buffer that patterns append sorted key positions to; the CSR builder and the combinators reuse one
// per thread, so enumerating rows allocates nothing in steady state.
namespace Sieve.Patterns;

/// <summary>An append-only list of key positions with cheap range appends and reuse via <see cref="Clear"/>.</summary>
public sealed class KeyBuffer
{
    private int[] _items;

    public KeyBuffer(int capacity = 64) => _items = new int[Math.Max(capacity, 4)];

    /// <summary>Appends into <paramref name="storage"/> from index 0; it is replaced only if more keys arrive than fit.</summary>
    internal KeyBuffer(int[] storage) => _items = storage;

    /// <summary>The array the keys live in (its length is the capacity, not <see cref="Count"/>).</summary>
    internal int[] Storage => _items;

    /// <summary>How many keys the buffer holds.</summary>
    public int Count { get; private set; }

    /// <summary>The keys appended so far.</summary>
    public ReadOnlySpan<int> Keys => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(int key)
    {
        if (Count == _items.Length) Grow(Count + 1);
        _items[Count++] = key;
    }

    /// <summary>Appends every key in [<paramref name="start"/>, <paramref name="end"/>); nothing when the range is empty.</summary>
    public void AddRange(int start, int end)
    {
        if (end <= start) return;
        int needed = Count + (end - start);
        if (needed > _items.Length) Grow(needed);
        for (int key = start; key < end; key++) _items[Count++] = key;
    }

    public void AddRange(ReadOnlySpan<int> keys)
    {
        int needed = Count + keys.Length;
        if (needed > _items.Length) Grow(needed);
        keys.CopyTo(_items.AsSpan(Count));
        Count = needed;
    }

    private void Grow(int needed) => Array.Resize(ref _items, Math.Max(needed, _items.Length * 2));
}
