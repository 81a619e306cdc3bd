// Peak resident memory of the process on Linux (VmHWM in /proc/self/status), resettable through /proc/self/clear_refs;
// libtorch's CPU allocator keeps no statistics of its own to ask. Null wherever /proc cannot say: never a guess.
using System.Globalization;
using System.Runtime.InteropServices;

namespace Sieve.Benchmarking;

/// <summary>Reads the process's resident size and high-water mark, and resets the mark where the kernel allows it.</summary>
public static class PeakMemory
{
    /// <summary>Sets the high-water mark back to the current resident size; false where /proc does not allow it.</summary>
    public static bool TryReset()
    {
        try
        {
            // "5" resets the peak RSS (Linux ≥ 4.0, proc(5)); it touches nothing else of the process.
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives the C heap's free pages back to the system (glibc's malloc_trim), so that a peak measured afterwards counts
    /// the memory a call reuses from earlier calls instead of hiding it in the baseline; false where there is no glibc.
    /// </summary>
    public static bool TryReleaseFreeHeap()
    {
        try
        {
            _ = malloc_trim(0);
            return true;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    /// <summary>The resident high-water mark in bytes (since start or the last reset); null without /proc.</summary>
    public static long? HighWaterMark() => Field("VmHWM:");

    /// <summary>The current resident size in bytes; null without /proc.</summary>
    public static long? Resident() => Field("VmRSS:");

    private static long? Field(string name)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
                // "VmHWM:\t  123456 kB"
                string[] parts = line[name.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kib)
                    ? kib * 1024
                    : null;
            }
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }
}
