// libtorch's CPU tensors come from glibc's malloc. A buffer above malloc's mmap threshold (128 KiB at start, adapting
// up to 32 MiB) is mapped fresh on every allocation and unmapped on free, and the kernel zero-fills each of its pages on
// first touch: a kernel's chunk buffers (1-4 MiB) and a layer's gradients (12 MiB for q, k, v at N = 4,096) then pay a
// page fault per 4 KiB on every call. In the Banded backward at 4,096 the zeroed dq, dk and dv alone took 30 ms of
// 173 (docs/BENCHMARKS.md). Keeping such buffers in the heap for reuse is what PyTorch users get by preloading jemalloc
// or tcmalloc; here it is three mallopt calls. The threshold cannot go above 32 MiB, so buffers larger than that
// (bert-base's feed-forward activations at N = 4,096 are 48 MiB) are kept in the heap by turning mapped buffers off
// altogether: torch's own 768 → 3,072 linear layer at M = 4,096 ran in 114 ms that way against 186 mapped
// (docs/BENCHMARKS.md).
using System.Runtime.InteropServices;

namespace Sieve.Runtime;

/// <summary>Tunes glibc's allocator for tensor work: large freed buffers stay in the process for reuse.</summary>
public static class NativeHeap
{
    // glibc's malloc.h.
    private const int TrimThresholdParameter = -1;
    private const int MmapThresholdParameter = -3;
    private const int MmapMaxParameter = -4;

    /// <summary>Buffers up to this size come from the heap rather than a fresh mapping (glibc's largest allowed value).</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>Free memory at the top of the heap is given back to the system only beyond this.</summary>
    public const int TrimThresholdBytes = 512 << 20;

    /// <summary>
    /// Raises malloc's mmap threshold to <see cref="MmapThresholdBytes"/> and its trim threshold to
    /// <see cref="TrimThresholdBytes"/>, and stops it mapping buffers above the threshold (M_MMAP_MAX = 0), unless the
    /// environment already sets one of them (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_MAX_: the memory
    /// benchmarks set a low threshold to measure live peaks) or SIEVE_NATIVE_HEAP is
    /// "default". Call it once, before the first tensor. The cost: memory freed by one call stays resident for the next
    /// (fine-tuning MiniLM peaked 5–7 % higher). False where nothing was changed (the environment said so, or no glibc).
    /// </summary>
    public static bool KeepFreedBuffers()
    {
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null
            || Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_") is not null
            || string.Equals(Environment.GetEnvironmentVariable("SIEVE_NATIVE_HEAP"), "default", StringComparison.OrdinalIgnoreCase)
            || !OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            // Setting the mmap threshold also stops glibc from adapting it (and the trim threshold) on its own.
            return mallopt(MmapThresholdParameter, MmapThresholdBytes) == 1 && mallopt(TrimThresholdParameter, TrimThresholdBytes) == 1
                && mallopt(MmapMaxParameter, 0) == 1;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
