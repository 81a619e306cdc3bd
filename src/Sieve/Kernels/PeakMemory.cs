// Peak resident memory of the process on Linux (VmHWM), resettable through /proc/self/clear_refs, so that each kernel's
// peak is measured from its own start; libtorch's CPU allocator has no statistics of its own to ask.
namespace Sieve.Kernels;

/// <summary>Reads and resets the process's resident high-water mark; −1 where /proc is not available.</summary>
internal static class PeakMemory
{
    /// <summary>Resets the high-water mark to the current resident size and returns that size in bytes.</summary>
    public static long Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
        return Read();
    }

    /// <summary>The resident high-water mark in bytes since the last reset.</summary>
    public static long Read()
    {
        const string Field = "VmHWM:";
        if (!File.Exists("/proc/self/status")) return -1;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(Field, StringComparison.Ordinal))
                return long.Parse(line[Field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return -1;
    }
}
