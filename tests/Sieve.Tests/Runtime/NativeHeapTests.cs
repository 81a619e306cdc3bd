// NativeHeap's mallopt calls reach glibc here (Linux, as in CI), and the environment can turn them off.
using Sieve.Runtime;
using TorchSharp;

namespace Sieve.Tests.Runtime;

public sealed class NativeHeapTests
{
    [Fact]
    public void Keeps_freed_buffers_on_glibc_unless_the_environment_says_default()
    {
        if (!OperatingSystem.IsLinux()) return;                                 // glibc's mallopt: Linux only
        Assert.True(NativeHeap.KeepFreedBuffers());
        Environment.SetEnvironmentVariable("SIEVE_NATIVE_HEAP", "default");
        try
        {
            Assert.False(NativeHeap.KeepFreedBuffers());
        }
        finally
        {
            Environment.SetEnvironmentVariable("SIEVE_NATIVE_HEAP", null);
        }
        // Tensors still allocate and free normally afterwards (a buffer below and one above the new threshold).
        using var small = torch.ones(1 << 20);                                      // 4 MiB: now from the heap
        using var large = torch.ones(16 << 20);                                     // 64 MiB: still mapped
        Assert.Equal((double)(1 << 20), small.sum().item<float>());
        Assert.Equal((double)(16 << 20), large.sum().item<float>());
    }
}
