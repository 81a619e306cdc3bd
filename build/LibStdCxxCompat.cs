// Makes TorchSharp-cpu's libLibTorchSharp.so load on systems whose libstdc++ predates GLIBCXX_3.4.32 (GCC 13),
// such as Debian 12. See docs/DEVELOPMENT.md and DESIGN.md §6: the only symbol bound to that version is
// _ZSt21ios_base_library_initv, which nothing relocates, so its version requirement can safely be marked weak.
// This file is compiled twice: into the MSBuild task below (RoslynCodeTaskFactory) and into the tests, which
// define SIEVE_NO_MSBUILD_TASK and check the premise and the result on the real binary.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Sieve.Build
{
    /// <summary>What <see cref="LibStdCxxCompat.Apply"/> did to one library.</summary>
    public enum LibStdCxxCompatOutcome
    {
        /// <summary>The system libstdc++ already defines the version: nothing was touched.</summary>
        NotNeeded,
        /// <summary>The library does not require the version at all: nothing was touched.</summary>
        NotRequired,
        /// <summary>The requirement was already weak (an earlier build patched it): nothing was touched.</summary>
        AlreadyWeak,
        /// <summary>The requirement was marked weak in place.</summary>
        Patched,
    }

    /// <summary>Reads and patches the GNU symbol-versioning sections of an ELF64 little-endian shared library.</summary>
    public static class LibStdCxxCompat
    {
        public const string Version = "GLIBCXX_3.4.32";
        public const string OnlySymbol = "_ZSt21ios_base_library_initv";
        public const ushort VerFlagWeak = 0x2;

        const uint ShtRela = 4, ShtNobits = 8, ShtRel = 9, ShtDynsym = 11;
        const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;

        /// <summary>
        /// Marks <see cref="Version"/> weak in <paramref name="library"/> when the system libstdc++ lacks it and the
        /// premise holds; throws <see cref="InvalidDataException"/> with the reason when the premise does not hold.
        /// </summary>
        public static LibStdCxxCompatOutcome Apply(string library, string systemLibStdCxx)
        {
            if (DefinesVersion(File.ReadAllBytes(systemLibStdCxx), Version))
                return LibStdCxxCompatOutcome.NotNeeded;
            var bytes = File.ReadAllBytes(library);
            var need = FindRequirement(bytes, library);
            if (need is null)
                return LibStdCxxCompatOutcome.NotRequired;
            CheckPremise(bytes, library, need.Value);
            if ((need.Value.Flags & VerFlagWeak) != 0)
                return LibStdCxxCompatOutcome.AlreadyWeak;
            var flags = (ushort)(need.Value.Flags | VerFlagWeak);
            bytes[need.Value.FlagsOffset] = (byte)flags;
            bytes[need.Value.FlagsOffset + 1] = (byte)(flags >> 8);
            // A new file renamed over the old one, never a write through it: the build hard-links package files into
            // the output folder where it can, and writing through the link would patch the NuGet cache's copy too.
            var temporary = library + ".sieve-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Replace(temporary, library, destinationBackupFileName: null);
            return LibStdCxxCompatOutcome.Patched;
        }

        /// <summary>The libstdc++.so.6 the dynamic loader would pick, or null when none is found.</summary>
        public static string? FindSystemLibStdCxx()
        {
            var triple = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
            var dirs = new List<string>();
            foreach (var dir in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':'))
                if (dir.Length > 0) dirs.Add(dir);
            dirs.AddRange(new[] { "/lib/" + triple, "/usr/lib/" + triple, "/lib64", "/usr/lib64", "/lib", "/usr/lib" });
            foreach (var dir in dirs)
            {
                var path = Path.Combine(dir, "libstdc++.so.6");
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>True when the library's version definitions (.gnu.version_d) include <paramref name="version"/>.</summary>
        public static bool DefinesVersion(byte[] elf, string version)
        {
            var sections = Sections(elf, "libstdc++");
            foreach (var section in sections)
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strings = sections[(int)section.Link];
                long at = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    uint auxOffset = U32(elf, at + 12), next = U32(elf, at + 16);
                    if (CString(elf, strings.Offset + U32(elf, at + auxOffset)) == version) return true;
                    if (next == 0) break;
                    at += next;
                }
            }
            return false;
        }

        /// <summary>The version requirement entry (vernaux) for <see cref="Version"/> of libstdc++, if any.</summary>
        public static Requirement? FindRequirement(byte[] elf, string name)
        {
            var sections = Sections(elf, name);
            foreach (var section in sections)
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strings = sections[(int)section.Link];
                long need = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort count = U16(elf, need + 2);
                    string file = CString(elf, strings.Offset + U32(elf, need + 4));
                    long aux = need + U32(elf, need + 8);
                    for (int a = 0; a < count; a++)
                    {
                        if (file == "libstdc++.so.6" && CString(elf, strings.Offset + U32(elf, aux + 8)) == Version)
                            return new Requirement(aux + 4, U16(elf, aux + 4), U16(elf, aux + 6));
                        aux += U32(elf, aux + 12);
                    }
                    uint next = U32(elf, need + 12);
                    if (next == 0) break;
                    need += next;
                }
            }
            return null;
        }

        /// <summary>
        /// The premise of the fix: exactly one dynamic symbol, <see cref="OnlySymbol"/>, is bound to the version, and
        /// no relocation names it. Throws with the evidence otherwise.
        /// </summary>
        public static void CheckPremise(byte[] elf, string name, Requirement need)
        {
            var sections = Sections(elf, name);
            int dynsymIndex = sections.FindIndex(s => s.Type == ShtDynsym);
            var versym = sections.Find(s => s.Type == ShtGnuVersym);
            if (dynsymIndex < 0 || versym.Type != ShtGnuVersym)
                throw new InvalidDataException($"{name}: no .dynsym or .gnu.version section; cannot check the {Version} premise.");
            var dynsym = sections[dynsymIndex];
            var strings = sections[(int)dynsym.Link];
            long count = dynsym.Size / 24;
            var bound = new List<(long Index, string Symbol)>();
            for (long i = 0; i < count; i++)
                if ((U16(elf, versym.Offset + 2 * i) & 0x7fff) == need.VersionIndex)
                    bound.Add((i, CString(elf, strings.Offset + U32(elf, dynsym.Offset + 24 * i))));
            if (bound.Count != 1 || bound[0].Symbol != OnlySymbol)
                throw new InvalidDataException(
                    $"{name}: the libstdc++ fix assumes {Version} is needed by {OnlySymbol} only, but it is needed by " +
                    $"[{string.Join(", ", bound.ConvertAll(b => b.Symbol))}]. Install a libstdc++ with {Version} (GCC 13 or newer) instead.");
            foreach (var section in sections)
            {
                if ((section.Type != ShtRela && section.Type != ShtRel) || section.Link != dynsymIndex) continue;
                long entry = section.Type == ShtRela ? 24 : 16;
                for (long at = section.Offset; at + entry <= section.Offset + section.Size; at += entry)
                    if (U64(elf, at + 8) >> 32 == (ulong)bound[0].Index)
                        throw new InvalidDataException(
                            $"{name}: a relocation at 0x{U64(elf, at):x} names {OnlySymbol}, so it is used and its {Version} " +
                            "requirement cannot be made weak. Install a libstdc++ with that version (GCC 13 or newer) instead.");
            }
        }

        /// <summary>Where the vernaux flags live in the file, their value and the version index they stand for.</summary>
        /// <remarks>Plain structs, not records: MSBuild compiles this file against netstandard2.0.</remarks>
        public readonly struct Requirement
        {
            public Requirement(long flagsOffset, ushort flags, ushort versionIndex)
            {
                FlagsOffset = flagsOffset;
                Flags = flags;
                VersionIndex = versionIndex;
            }

            public long FlagsOffset { get; }
            public ushort Flags { get; }
            public ushort VersionIndex { get; }
        }

        readonly struct Section
        {
            public Section(uint type, long offset, long size, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
        }

        static List<Section> Sections(byte[] elf, string name)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{name}: not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{name}: only 64-bit little-endian ELF is supported.");
            long shoff = (long)U64(elf, 0x28);
            int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
            var sections = new List<Section>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + (long)i * shentsize;
                var section = new Section(U32(elf, h + 4), (long)U64(elf, h + 24), (long)U64(elf, h + 32), U32(elf, h + 40), U32(elf, h + 44));
                bool inFile = section.Type != ShtNobits;   // .bss and friends take no room in the file
                if (inFile && (section.Offset < 0 || section.Size < 0 || section.Offset + section.Size > elf.Length))
                    throw new InvalidDataException($"{name}: section {i} lies outside the file.");
                sections.Add(section);
            }
            return sections;
        }

        static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, checked((int)at));
        static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, checked((int)at));
        static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, checked((int)at));

        static string CString(byte[] b, long at)
        {
            int start = checked((int)at), end = Array.IndexOf(b, (byte)0, start);
            if (end < 0) throw new InvalidDataException("unterminated string in ELF string table.");
            return Encoding.ASCII.GetString(b, start, end - start);
        }
    }

#if !SIEVE_NO_MSBUILD_TASK
    /// <summary>MSBuild task: applies <see cref="LibStdCxxCompat"/> to every given copy of libLibTorchSharp.so.</summary>
    public sealed class FixLibStdCxx : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        public override bool Execute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || Libraries.Length == 0) return true;
            var system = LibStdCxxCompat.FindSystemLibStdCxx();
            if (system is null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    "Sieve: no system libstdc++.so.6 found; TorchSharp's libLibTorchSharp.so left as it is.");
                return true;
            }
            foreach (var item in Libraries)
            {
                try
                {
                    var outcome = LibStdCxxCompat.Apply(item.ItemSpec, system);
                    var importance = outcome == LibStdCxxCompatOutcome.Patched
                        ? Microsoft.Build.Framework.MessageImportance.High : Microsoft.Build.Framework.MessageImportance.Low;
                    Log.LogMessage(importance, $"Sieve: {item.ItemSpec}: {outcome} ({LibStdCxxCompat.Version}, system {system}).");
                }
                catch (InvalidDataException e)
                {
                    Log.LogError($"Sieve: cannot make TorchSharp load with {system}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
