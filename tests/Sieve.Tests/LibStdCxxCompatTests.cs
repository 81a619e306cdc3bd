// Checks the libstdc++ fix of DESIGN.md §6 on the real binaries: the premise on TorchSharp's native library as shipped,
// and the result on the copy the build patched into this test's output folder.
using System.Runtime.InteropServices;
using Sieve.Build;

namespace Sieve.Tests;

public sealed class LibStdCxxCompatTests
{
    private static readonly string _patched = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [LibStdCxxFact]
    public void ShippedLibrary_NeedsTheVersionForTheOneUnrelocatedSymbolOnly()
    {
        var original = File.ReadAllBytes(ShippedLibrary());
        var need = LibStdCxxCompat.FindRequirement(original, "shipped libLibTorchSharp.so");

        Assert.NotNull(need);
        Assert.Equal(0, need.Value.Flags & LibStdCxxCompat.VerFlagWeak);
        LibStdCxxCompat.CheckPremise(original, "shipped libLibTorchSharp.so", need.Value);   // throws when it fails
    }

    [LibStdCxxFact]
    public void PatchedCopy_DiffersFromTheShippedOneInTheWeakFlagOnly()
    {
        var original = File.ReadAllBytes(ShippedLibrary());
        var patched = File.ReadAllBytes(_patched);
        var need = LibStdCxxCompat.FindRequirement(patched, "patched libLibTorchSharp.so");

        Assert.NotNull(need);
        Assert.Equal(LibStdCxxCompat.VerFlagWeak, need.Value.Flags & LibStdCxxCompat.VerFlagWeak);
        Assert.Equal(original.Length, patched.Length);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Equal([need.Value.FlagsOffset], differing.Select(i => (long)i));
    }

    [LibStdCxxFact]
    public void Apply_IsIdempotent()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"sieve-libstdcxx-{Guid.NewGuid():N}.so");
        File.Copy(ShippedLibrary(), copy);
        try
        {
            var system = LibStdCxxCompat.FindSystemLibStdCxx()!;
            Assert.Equal(LibStdCxxCompatOutcome.Patched, LibStdCxxCompat.Apply(copy, system));
            var once = File.ReadAllBytes(copy);
            Assert.Equal(LibStdCxxCompatOutcome.AlreadyWeak, LibStdCxxCompat.Apply(copy, system));
            Assert.Equal(once, File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [LibStdCxxFact]
    public void Apply_OnAHardLink_LeavesTheOtherNameUntouched()
    {
        // The build hard-links package files into output folders, so the fix must never write through the link.
        var original = Path.Combine(Path.GetTempPath(), $"sieve-libstdcxx-{Guid.NewGuid():N}.so");
        var linked = original + ".link";
        File.Copy(ShippedLibrary(), original);
        try
        {
            Assert.Equal(0, link(original, linked));
            var before = File.ReadAllBytes(original);
            Assert.Equal(LibStdCxxCompatOutcome.Patched, LibStdCxxCompat.Apply(linked, LibStdCxxCompat.FindSystemLibStdCxx()!));
            Assert.Equal(before, File.ReadAllBytes(original));
            Assert.NotEqual(before, File.ReadAllBytes(linked));
        }
        finally
        {
            File.Delete(original);
            File.Delete(linked);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string newName);

    [Fact]
    public void NotAnElfFile_IsRejectedWithTheReason()
    {
        var error = Assert.Throws<InvalidDataException>(() => LibStdCxxCompat.FindRequirement(new byte[100], "junk.so"));
        Assert.Equal("junk.so: not an ELF file.", error.Message);
    }

    // The package's copy in the NuGet cache, found through TorchSharp's assembly: .../torchsharp/<v>/lib/net8.0/TorchSharp.dll.
    private static string ShippedLibrary()
    {
        var lib = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)!;
        var shipped = Path.GetFullPath(Path.Combine(lib, "..", "..", "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
        if (File.Exists(shipped)) return shipped;
        // The test host loads TorchSharp.dll from its own folder; look in the NuGet cache instead.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }
}

/// <summary>Runs only where the fix applies: Linux x64 with a system libstdc++ that lacks GLIBCXX_3.4.32.</summary>
internal sealed class LibStdCxxFactAttribute : FactAttribute
{
    public LibStdCxxFactAttribute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            Skip = "the libstdc++ fix concerns TorchSharp's linux-x64 library only.";
            return;
        }
        var system = LibStdCxxCompat.FindSystemLibStdCxx();
        if (system is null)
            Skip = "no system libstdc++.so.6 was found.";
        else if (LibStdCxxCompat.DefinesVersion(File.ReadAllBytes(system), LibStdCxxCompat.Version))
            Skip = $"{system} already defines {LibStdCxxCompat.Version}: the build leaves TorchSharp untouched here.";
    }
}
