// Whether a path the user gave as a model or data file is an ordinary file. A named pipe (FIFO) blocks the open until
// someone writes to it, and a device such as /dev/zero or /dev/urandom never ends: read as a model or a data file,
// either hangs the command. .NET reports both as plain files, so the file type is asked of Linux directly (statx(2),
// whose layout is the same on every architecture); elsewhere the check passes and the readers' own limits apply.
using System.Runtime.InteropServices;

namespace Sieve.Data;

/// <summary>Tells ordinary files from pipes, devices and sockets before they are opened.</summary>
public static class RegularFile
{
    private const int AtCurrentDirectory = -100;   // AT_FDCWD: a relative path is resolved against the working directory
    private const uint StatxType = 0x1;            // STATX_TYPE: only the file type is asked for
    private const int ModeOffset = 28;             // offsetof(struct statx, stx_mode)
    private const int StatxSize = 256;             // sizeof(struct statx)

    /// <summary>
    /// Null when <paramref name="path"/> is an ordinary file (or does not exist, or the system cannot say), else what it
    /// is instead, e.g. "a named pipe (FIFO)", for a message such as "PATH is a named pipe (FIFO), not a file".
    /// </summary>
    public static string? OtherKind(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[StatxSize];
        try
        {
            // Symbolic links are followed (flags 0): a link to a model file is a model file.
            if (statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0) return null;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;   // no glibc statx (musl before 1.2.5): the readers' own limits still apply
        }
        int type = BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000;   // S_IFMT
        return type switch
        {
            0x8000 => null,                       // S_IFREG
            0x1000 => "a named pipe (FIFO)",      // S_IFIFO
            0x2000 => "a character device",       // S_IFCHR
            0x6000 => "a block device",           // S_IFBLK
            0x4000 => "a directory",              // S_IFDIR
            0xC000 => "a socket",                 // S_IFSOCK
            _ => "not an ordinary file",
        };
    }

    /// <summary>
    /// The message for a path that is not an ordinary file: "PATH is a named pipe (FIFO), not a file; give WHAT itself.",
    /// or null when it is one.
    /// </summary>
    public static string? Problem(string path, string what) =>
        OtherKind(path) is { } kind ? $"{path} is {kind}, not a file; give {what} itself (a pipe or a device would be read forever)." : null;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int statx(int directory, string path, int flags, uint mask, byte[] buffer);
}
