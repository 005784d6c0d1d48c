using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pyrometer.Sampling.Elf;

/// <summary>
/// A file a target points us at (through <c>/proc/PID/root</c>, <c>exe</c> or <c>map_files</c>), opened
/// once and then described by <c>statx</c> on the open descriptor, never by the path again: what is
/// checked is what is read, however the target renames things meanwhile. Opening never blocks (a FIFO
/// or device planted at the path is refused, not waited on) and only a regular file is accepted.
/// </summary>
internal sealed partial class RegularFile : IDisposable
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;       // O_NONBLOCK: a FIFO without a writer must not hang discovery
    private const int NoControllingTerminal = 0x100;
    private const int CloseOnExec = 0x80000;
    private const int EmptyPath = 0x1000;        // AT_EMPTY_PATH: statx describes the descriptor itself
    private const uint BasicStats = 0x7FF;
    private const int StatxSize = 256;
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;

    private const int Eperm = 1;
    private const int Enoent = 2;
    private const int Eacces = 13;
    private const int Enotdir = 20;

    private RegularFile(SafeFileHandle handle, FileIdentity identity)
    {
        Handle = handle;
        Identity = identity;
    }

    public SafeFileHandle Handle { get; }

    /// <summary>Device, inode, size and modification time of the file as opened.</summary>
    public FileIdentity Identity { get; }

    /// <summary>Opens <paramref name="path"/> for reading and checks, on the open descriptor, that it is a regular file.</summary>
    /// <exception cref="ElfFormatException">It is not a regular file (a FIFO, device, socket or directory).</exception>
    /// <exception cref="FileNotFoundException">It does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    /// <exception cref="IOException">It cannot be opened for another reason.</exception>
    public static unsafe RegularFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = OpenFile(path, ReadOnly | NonBlocking | NoControllingTerminal | CloseOnExec);
        if (fd < 0)
        {
            throw OpenError(path, Marshal.GetLastSystemError());
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            Span<byte> stat = stackalloc byte[StatxSize];
            int result;
            fixed (byte* buffer = stat)
            {
                result = Statx(fd, "", EmptyPath, BasicStats, buffer);
            }
            if (result != 0)
            {
                var errno = Marshal.GetLastSystemError();
                throw new IOException($"{path}: statx failed ({Marshal.GetPInvokeErrorMessage(errno)}).");
            }
            var mode = BinaryPrimitives.ReadUInt16LittleEndian(stat[28..]);
            if ((mode & TypeMask) != RegularType)
            {
                throw new ElfFormatException($"{path} is not a regular file (mode 0x{mode:x}); only regular files are parsed.");
            }
            var identity = new FileIdentity(
                Device: ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(stat[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(stat[140..]),
                Inode: BinaryPrimitives.ReadUInt64LittleEndian(stat[32..]),
                Length: (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(stat[40..]), long.MaxValue),
                ModifiedSeconds: BinaryPrimitives.ReadInt64LittleEndian(stat[112..]),
                ModifiedNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(stat[120..]));
            return new RegularFile(handle, identity);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => Handle.Dispose();

    private static Exception OpenError(string path, int errno) => errno switch
    {
        Enoent => new FileNotFoundException($"{path} does not exist.", path),
        Enotdir => new DirectoryNotFoundException($"A directory on the way to {path} does not exist."),
        Eacces or Eperm => new UnauthorizedAccessException($"{path} may not be read ({Marshal.GetPInvokeErrorMessage(errno)})."),
        _ => new IOException($"{path} cannot be opened ({Marshal.GetPInvokeErrorMessage(errno)})."),
    };

    // open(2) with two arguments (no O_CREAT, so no mode): the variadic tail is never used.
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    // statx(2): one layout on every architecture, unlike struct stat (glibc ≥ 2.28).
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
